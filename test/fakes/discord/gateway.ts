/**
 * The fake gateway (WebSocket, plain JSON frames): HELLO, IDENTIFY -> READY + GUILD_CREATE,
 * heartbeats acknowledged, RESUME refused (op 9) so a reconnecting client identifies afresh,
 * and dispatches with an increasing sequence number to every live connection. Sharding: a client
 * that identifies as shard [id, count] gets only the guilds Discord would put on it
 * ((guild_id >> 22) % count), and only their events.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { Server } from 'node:http';
import { apiGuild, apiUser, type FakeUser } from './payloads.js';

export interface GatewayState {
  applicationId: string;
  botUser: FakeUser;
  guilds: { id: string; name: string; channels: string[] }[];
  wsUrl: () => string;
}

export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<WebSocket, { seq: number; ready: boolean; shard: [number, number] }>();
  identifies = 0;

  constructor(
    server: Server,
    private readonly state: GatewayState,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  private dispatchTo(ws: WebSocket, t: string, d: unknown): void {
    const s = this.sockets.get(ws);
    if (!s) return;
    s.seq += 1;
    this.send(ws, { op: 0, t, s: s.seq, d });
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.set(ws, { seq: 0, ready: false, shard: [0, 1] });
    this.send(ws, { op: 10, d: { heartbeat_interval: 41_250 } });
    ws.on('message', (raw) => {
      let msg: { op: number; d?: { shard?: [number, number] } };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (msg.op === 1) this.send(ws, { op: 11 });
      else if (msg.op === 2) this.identify(ws, msg.d?.shard ?? [0, 1]);
      else if (msg.op === 6) this.send(ws, { op: 9, d: false });
    });
    ws.on('close', () => this.sockets.delete(ws));
  }

  private static onShard(guildId: string, [id, count]: [number, number]): boolean {
    return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
  }

  private identify(ws: WebSocket, shard: [number, number]): void {
    this.identifies += 1;
    const { botUser, applicationId } = this.state;
    const guilds = this.state.guilds.filter((g) => FakeGateway.onShard(g.id, shard));
    this.sockets.get(ws)!.shard = shard;
    this.dispatchTo(ws, 'READY', {
      v: 10,
      user: { ...apiUser(botUser), bot: true, verified: true, flags: 0, mfa_enabled: false },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session_${Date.now()}`,
      resume_gateway_url: this.state.wsUrl(),
      shard,
      application: { id: applicationId, flags: 0 },
      private_channels: [],
    });
    for (const g of guilds) this.dispatchTo(ws, 'GUILD_CREATE', apiGuild(g, g.channels));
    this.sockets.get(ws)!.ready = true;
  }

  /** Send an event to every identified connection; resolves false when no client is connected. */
  dispatch(t: string, d: unknown): boolean {
    let sent = false;
    const guildId = (d as { guild_id?: string } | undefined)?.guild_id;
    for (const [ws, s] of this.sockets) {
      if (!s.ready || (guildId && !FakeGateway.onShard(guildId, s.shard))) continue;
      // An interaction outside any server (a DM, a group DM) goes to shard 0, as Discord sends DMs.
      if (!guildId && t === 'INTERACTION_CREATE' && s.shard[0] !== 0) continue;
      this.dispatchTo(ws, t, d);
      sent = true;
    }
    return sent;
  }

  connectedClients(): number {
    return [...this.sockets.values()].filter((s) => s.ready).length;
  }

  close(): void {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
  }
}
