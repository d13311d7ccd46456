/**
 * A fake Discord on 127.0.0.1: REST (/api/v10/...) and a gateway WebSocket on the same port,
 * for running the REAL discord.js Client in tests (`rest: { api: fake.apiBase }`).
 *
 *   const fake = await startFakeDiscord({ guilds: [{ id, name, channels: [id] }] });
 *   fake.sendSlash({ guildId, channelId, user, name: 'story', options: [{ name, type: 3, value }] })
 *   fake.sendButton({ ..., customId, messageId }) / fake.sendModalSubmit({ ..., customId, fields })
 *   fake.record          every REST request: { method, path, json, files, at, status }
 *   fake.messages(token) the interaction's messages (@original first, then follow-ups)
 *   fake.channelMessages(channelId), fake.callbacks(interactionId), fake.commands
 *   fake.seedChannelMessage(channelId, { embeds, components }) a message the bot posted earlier
 *     (say, by a process that has since stopped)
 *   await fake.waitFor(() => condition, timeoutMs)
 * Bad days: fake.failNext({ route, status, retryAfter?, times? }) (route 'upload': a request carrying an .mp4), fake.delayNext(route, ms), fake.expireToken(token),
 * fake.denyChannel(channelId), a bot-token request into a channel the bot is not in (a member's own
 * install: `context` 1/2 or `userInstall`) -> 403/50001, uploads over the interaction's attachment_size_limit -> 413/40005,
 * callbacks later than `callbackDeadlineMs` -> 404/10062.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import { readRequestBody, type ParsedBody } from './request-body.js';
import { snowflake } from './snowflakes.js';
import {
  apiChannel,
  apiMessage,
  interactionEnvelope,
  isUserInstall,
  type FakeUser,
  type InteractionBase,
  type StoredMessage,
} from './payloads.js';
export { PERMISSIONS, USER_INSTALL_APP_PERMISSIONS } from './payloads.js';

export type RouteKind = 'callback' | 'edit' | 'followup' | 'channelMessage' | 'upload' | 'any';

export interface RecordedCall {
  method: string;
  path: string;
  route: RouteKind | 'other';
  json: Record<string, unknown> | undefined;
  files: ParsedBody['files'];
  at: number;
  status: number;
  token?: string;
}

interface InteractionState {
  id: string;
  token: string;
  channelId: string;
  guildId: string;
  createdAt: number;
  answered: boolean;
  attachmentSizeLimit: number;
  messages: StoredMessage[];
  callbacks: Record<string, unknown>[];
  expired: boolean;
  /** For a button or menu: the message it is on (its @original until the interaction makes its own). */
  source?: StoredMessage;
}

export interface FakeDiscordOptions {
  /** `nsfwChannels`: age-restricted ones (channel.nsfw). */
  guilds?: { id: string; name: string; channels: string[]; nsfwChannels?: string[] }[];
  callbackDeadlineMs?: number;
  /** What GET /gateway/bot recommends (default 1). */
  shards?: number;
}

const discordError = (status: number, code: number, message: string) => ({ status, body: { code, message } });

export async function startFakeDiscord(opts: FakeDiscordOptions = {}) {
  const applicationId = snowflake();
  const botUser: FakeUser = { id: applicationId, username: 'storyreel', bot: true };
  const token = `${Buffer.from(applicationId).toString('base64')}.fake.SECRET-BOT-TOKEN-${Math.random().toString(36).slice(2)}`;
  const guilds = opts.guilds ?? [{ id: snowflake(), name: 'Test Guild', channels: [snowflake()] }];
  const record: RecordedCall[] = [];
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const channelMessages = new Map<string, StoredMessage[]>();
  const failures: { route: RouteKind; status: number; retryAfter?: number; times: number; code?: number }[] = [];
  const denied = new Set<string>();
  /** Channels of a member's own install: the bot is not there, its token may not post. */
  const outside = new Set<string>();
  const delays: { route: RouteKind; ms: number }[] = [];
  const commands: { scope: string; body: unknown[] }[] = [];
  const waiters = new Set<() => void>();
  let wsUrl = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, message: `fake crashed: ${(error as Error).message}` }));
    });
  });
  const gateway = new FakeGateway(server, { applicationId, botUser, guilds, wsUrl: () => wsUrl });

  function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    const rl = {
      'x-ratelimit-limit': '50',
      'x-ratelimit-remaining': '49',
      'x-ratelimit-reset-after': '1',
      'x-ratelimit-reset': String(Date.now() / 1000 + 1),
      'x-ratelimit-bucket': 'fakebucket',
    };
    res.writeHead(status, { ...rl, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  function newMessage(
    channelId: string,
    json: Record<string, unknown> | undefined,
    files: ParsedBody['files'],
    webhook: boolean,
  ): StoredMessage {
    const m: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      files: [],
      ...(webhook ? { webhook_id: applicationId } : {}),
    };
    applyEdit(m, json, files);
    return m;
  }

  function applyEdit(m: StoredMessage, json: Record<string, unknown> | undefined, files: ParsedBody['files']) {
    if (json?.content !== undefined) m.content = String(json.content ?? '');
    if (json?.embeds !== undefined) m.embeds = (json.embeds as unknown[]) ?? [];
    if (json?.components !== undefined) m.components = (json.components as unknown[]) ?? [];
    if (json?.flags !== undefined) m.flags = Number(json.flags);
    if (json?.attachments !== undefined || files.length) {
      // API v10: the attachments array lists every attachment to keep; new files are added.
      const keep = new Set(((json?.attachments as { id?: string }[]) ?? []).map((a) => String(a.id)));
      m.attachments = m.attachments.filter((a) => keep.has(a.id));
      m.files = m.files.filter((f) => m.attachments.some((a) => a.filename === f.name));
      for (const f of files) {
        const id = snowflake();
        m.attachments.push({
          id,
          filename: f.name,
          size: f.bytes.length,
          url: `https://cdn.fake/${id}/${f.name}`,
          proxy_url: `https://media.fake/${id}/${f.name}`,
        });
        m.files.push({ name: f.name, bytes: f.bytes });
      }
    }
  }

  function takeFailure(route: RouteKind, hasFiles: boolean) {
    const i = failures.findIndex((f) => f.route === route || f.route === 'any' || (f.route === 'upload' && hasFiles));
    if (i < 0) return undefined;
    const f = failures[i]!;
    if (--f.times <= 0) failures.splice(i, 1);
    return f;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const body = await readRequestBody(req);
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;
    const route: RouteKind | 'other' = /^\/interactions\//.test(path)
      ? 'callback'
      : /^\/webhooks\/\d+\/[^/]+\/messages\//.test(path)
        ? 'edit'
        : /^\/webhooks\/\d+\/[^/]+$/.test(path)
          ? 'followup'
          : /^\/channels\/\d+\/messages/.test(path)
            ? 'channelMessage'
            : 'other';
    const call: RecordedCall = { method, path, route, json: body.json, files: body.files, at: Date.now(), status: 0 };
    call.token = /^\/(?:webhooks\/\d+|interactions\/\d+)\/([^/]+)/.exec(path)?.[1];
    record.push(call);
    const send = (status: number, payload?: unknown, headers?: Record<string, string>) => {
      call.status = status;
      reply(res, status, payload, headers);
      for (const w of waiters) w();
    };
    const fail = (e: { status: number; body: unknown }) => send(e.status, e.body);

    const delay = delays.findIndex((d) => d.route === route);
    if (delay >= 0) await new Promise((r) => setTimeout(r, delays.splice(delay, 1)[0]!.ms));
    if (route !== 'other') {
      // 'upload' means the video: progress edits carry small preview images too (issue 13).
      const f = takeFailure(
        route,
        body.files.some((file) => file.name.endsWith('.mp4')),
      );
      if (f?.status === 429) {
        const after = f.retryAfter ?? 0.2;
        return send(
          429,
          { message: 'You are being rate limited.', retry_after: after, global: false },
          {
            'retry-after': String(Math.ceil(after)),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': String(after),
            'x-ratelimit-scope': 'user',
          },
        );
      }
      if (f) return fail(discordError(f.status, f.code ?? 0, f.status >= 500 ? 'Internal Server Error' : 'Scripted failure'));
    }

    if (method === 'GET' && path === '/gateway/bot') {
      if (req.headers.authorization !== `Bot ${token}`) return fail(discordError(401, 0, '401: Unauthorized'));
      return send(200, {
        url: wsUrl,
        shards: opts.shards ?? 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (req.headers.authorization !== `Bot ${token}` && !/^\/(interactions|webhooks)\//.test(path)) {
      return fail(discordError(401, 0, '401: Unauthorized'));
    }
    if (method === 'PUT' && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      const list = (body.json as unknown as Record<string, unknown>[]) ?? [];
      commands.push({ scope: m[2] ?? 'global', body: list });
      return send(
        200,
        list.map((c) => ({
          ...c,
          id: snowflake(),
          application_id: applicationId,
          version: snowflake(),
          ...(m![2] ? { guild_id: m![2] } : {}),
        })),
      );
    }
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const it = interactions.get(m[1]!);
      if (!it || it.token !== m[2]) return fail(discordError(404, 10062, 'Unknown interaction'));
      if (it.answered) return fail(discordError(400, 40060, 'Interaction has already been acknowledged.'));
      if (Date.now() - it.createdAt > (opts.callbackDeadlineMs ?? 3000)) return fail(discordError(404, 10062, 'Unknown interaction'));
      it.answered = true;
      it.callbacks.push(body.json ?? {});
      const type = Number(body.json?.type);
      const data = (body.json?.data as Record<string, unknown> | undefined) ?? {};
      if (type === 4 || type === 5) it.messages.push(newMessage(it.channelId, { ...data, flags: data.flags ?? 0 }, body.files, true));
      if (url.searchParams.get('with_response') === 'true') {
        const msg = it.messages[0];
        return send(200, {
          interaction: {
            id: it.id,
            type: 2,
            response_message_id: msg?.id,
            response_message_loading: type === 5,
            response_message_ephemeral: false,
          },
          resource: msg ? { type, message: apiMessage(msg, botUser, applicationId) } : { type },
        });
      }
      return send(204);
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path))) {
      const it = byToken.get(m[2]!);
      if (!it || it.expired) return fail(discordError(401, 50027, 'Invalid Webhook Token'));
      const tooBig = body.files.find((f) => f.bytes.length > it.attachmentSizeLimit);
      if (tooBig) return fail(discordError(413, 40005, 'Request entity too large'));
      if (!m[3]) {
        if (method !== 'POST') return fail(discordError(405, 0, 'Method not allowed'));
        const msg = newMessage(it.channelId, body.json, body.files, true);
        it.messages.push(msg);
        return send(200, apiMessage(msg, botUser, applicationId));
      }
      const target = m[3] === '@original' ? (it.messages[0] ?? it.source) : it.messages.find((x) => x.id === m![3]);
      if (!target || target.deleted) return fail(discordError(404, 10008, 'Unknown Message'));
      if (method === 'PATCH') applyEdit(target, body.json, body.files);
      else if (method === 'DELETE') {
        target.deleted = true;
        return send(204);
      }
      return send(200, apiMessage(target, botUser, applicationId));
    }
    if ((m = /^\/channels\/(\d+)(\/messages(?:\/(\d+))?)?$/.exec(path))) {
      const channelId = m[1]!;
      if (outside.has(channelId)) return fail(discordError(403, 50001, 'Missing Access'));
      const guild = guilds.find((g) => g.channels.includes(channelId));
      if (!guild) return fail(discordError(404, 10003, 'Unknown Channel'));
      if (!m[2]) return send(200, apiChannel(channelId, guild.id, guild.nsfwChannels?.includes(channelId)));
      if (denied.has(channelId)) return fail(discordError(403, 50013, 'Missing Permissions'));
      const list = channelMessages.get(channelId) ?? [];
      channelMessages.set(channelId, list);
      if (!m[3] && method === 'POST') {
        if (body.files.some((f) => f.bytes.length > 10 * 1024 * 1024)) return fail(discordError(413, 40005, 'Request entity too large'));
        const msg = newMessage(channelId, body.json, body.files, false);
        list.push(msg);
        return send(200, apiMessage(msg, botUser, applicationId));
      }
      const target = [...list, ...[...interactions.values()].flatMap((i) => i.messages)].find(
        (x) => x.id === m![3] && x.channel_id === channelId,
      );
      if (!target || target.deleted) return fail(discordError(404, 10008, 'Unknown Message'));
      if (method === 'DELETE') {
        target.deleted = true;
        return send(204);
      }
      if (method === 'PATCH') {
        // The bot's own (non-ephemeral) interaction replies are its messages too; ephemeral ones are not reachable here.
        if (target.webhook_id && target.webhook_id !== applicationId)
          return fail(discordError(403, 50005, 'Cannot edit a message authored by another user'));
        if (target.flags & 64) return fail(discordError(404, 10008, 'Unknown Message'));
        if (body.files.some((f) => f.bytes.length > 10 * 1024 * 1024)) return fail(discordError(413, 40005, 'Request entity too large'));
        applyEdit(target, body.json, body.files);
      }
      return send(200, apiMessage(target, botUser, applicationId));
    }
    return fail(discordError(404, 0, `fake has no route for ${method} ${path}`));
  }

  function interact(base: InteractionBase, type: number, data: unknown, extra: Record<string, unknown> = {}, source?: StoredMessage) {
    // The channel in the payload is as Discord knows it: age-restricted when the guild says so.
    const nsfw = base.nsfw ?? guilds.some((g) => g.nsfwChannels?.includes(base.channelId));
    const { id, token: itoken, payload } = interactionEnvelope({ ...base, nsfw }, applicationId, type, data, extra);
    const state: InteractionState = {
      id,
      token: itoken,
      channelId: base.channelId,
      guildId: base.guildId,
      createdAt: Date.now(),
      answered: false,
      attachmentSizeLimit: base.attachmentSizeLimit ?? 10 * 1024 * 1024,
      messages: [],
      callbacks: [],
      expired: false,
      source,
    };
    interactions.set(id, state);
    byToken.set(itoken, state);
    if (isUserInstall(base) && !guilds.some((g) => g.channels.includes(base.channelId))) outside.add(base.channelId);
    if (!gateway.dispatch('INTERACTION_CREATE', payload)) throw new Error('no discord.js client is connected to the fake gateway');
    return { interactionId: id, token: itoken };
  }

  function findMessage(id: string): StoredMessage | undefined {
    for (const it of interactions.values()) for (const msg of it.messages) if (msg.id === id) return msg;
    for (const list of channelMessages.values()) for (const msg of list) if (msg.id === id) return msg;
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  wsUrl = `ws://127.0.0.1:${port}`;

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    token,
    applicationId,
    botUser,
    guilds,
    record,
    commands,
    gateway,
    /** `resolved` carries what options point at, e.g. `{ attachments: { [id]: { id, filename, size, url, content_type } } }`. */
    sendSlash(
      base: InteractionBase & {
        name: string;
        /** A subcommand is `{ name, type: 1, options }`. */
        options?: { name: string; type: number; value?: unknown; options?: { name: string; type: number; value: unknown }[] }[];
        resolved?: Record<string, unknown>;
        /** More payload fields, e.g. `{ locale: 'de', guild_locale: 'fr' }`. */
        extra?: Record<string, unknown>;
      },
    ) {
      return interact(
        base,
        2,
        {
          id: snowflake(),
          name: base.name,
          type: 1,
          options: base.options ?? [],
          ...(base.resolved ? { resolved: base.resolved } : {}),
        },
        base.extra,
      );
    },
    sendButton(base: InteractionBase & { customId: string; messageId: string; extra?: Record<string, unknown> }) {
      const msg = findMessage(base.messageId);
      const message = msg
        ? apiMessage(msg, botUser, applicationId)
        : {
            id: base.messageId,
            channel_id: base.channelId,
            author: botUser,
            content: '',
            embeds: [],
            components: [],
            attachments: [],
            timestamp: new Date().toISOString(),
            type: 0,
            flags: 0,
            mentions: [],
            mention_roles: [],
            pinned: false,
            tts: false,
            mention_everyone: false,
            edited_timestamp: null,
          };
      return interact(base, 3, { custom_id: base.customId, component_type: 2 }, { message, ...base.extra }, msg);
    },
    sendSelect(base: InteractionBase & { customId: string; values: string[]; messageId: string }) {
      const msg = findMessage(base.messageId);
      return interact(
        base,
        3,
        { custom_id: base.customId, component_type: 3, values: base.values },
        { message: msg ? apiMessage(msg, botUser, applicationId) : { id: base.messageId, channel_id: base.channelId } },
        msg,
      );
    },
    sendModalSubmit(base: InteractionBase & { customId: string; fields: Record<string, string> }) {
      const components = Object.entries(base.fields).map(([custom_id, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id, value }],
      }));
      return interact(base, 5, { custom_id: base.customId, components });
    },
    /** A message the bot posted in a channel before the test's client existed; returns it. */
    seedChannelMessage(channelId: string, json: Record<string, unknown> = {}): StoredMessage {
      const msg = newMessage(channelId, json, [], false);
      const list = channelMessages.get(channelId) ?? [];
      channelMessages.set(channelId, list);
      list.push(msg);
      return msg;
    },
    callbacks: (interactionId: string) => interactions.get(interactionId)?.callbacks ?? [],
    messages: (itoken: string) => byToken.get(itoken)?.messages ?? [],
    channelMessages: (channelId: string) => channelMessages.get(channelId) ?? [],
    message: findMessage,
    failNext(f: { route: RouteKind; status: number; retryAfter?: number; times?: number; code?: number }) {
      failures.push({ ...f, times: f.times ?? 1 });
    },
    /** The next request on this route is answered `ms` later (a slow round trip). */
    delayNext(route: RouteKind, ms: number) {
      delays.push({ route, ms });
    },
    expireToken(itoken: string) {
      const it = byToken.get(itoken);
      if (it) it.expired = true;
    },
    denyChannel(channelId: string) {
      denied.add(channelId);
    },
    waitFor(predicate: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake discord: ${what} not met within ${timeoutMs} ms`));
        }, timeoutMs);
        const poll = setInterval(check, 50);
        const cleanup = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;
