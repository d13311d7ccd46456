/**
 * A real, throwaway redis-server for tests: a free port on 127.0.0.1, nothing persisted
 * (`--save '' --appendonly no`, its own temp dir), ready once it answers PING.
 * stop() ends it (SIGTERM), kill() ends it now (SIGKILL, like a crash), restart() starts it again
 * on the same port, empty. Any server still running when the test process exits is killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** stop now (SIGKILL) */
  kill(): Promise<void>;
  /** start again on the same port, empty */
  restart(): Promise<void>;
}

const binary = process.env.REDIS_SERVER_PATH || 'redis-server';
// A cold start on this busy 2-core machine takes ~50 ms; 15 s leaves room for a loaded CI box.
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
// A port found free can be taken by another process before redis binds it: try a few.
const PORT_ATTEMPTS = 5;

const alive = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;

/**
 * `args`: more redis-server arguments (e.g. `['--maxmemory-policy', 'allkeys-lru']`).
 * `persist`: an append-only file in its temp dir, written on every command, so that restart()
 * (after stop or kill) brings the same data back, as a production Redis with AOF would.
 */
export async function startRedis(opts: { persist?: boolean; args?: string[] } = {}): Promise<TestRedis> {
  assertInstalled();
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'storyreel-redis-'));
  dirs.add(dir);

  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS && !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, opts.persist, opts.args);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortClash)) break;
    }
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  let current: ChildProcess | undefined = child;
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = current;
    current = undefined;
    if (proc) await terminate(proc, signal);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGKILL');
      current = await launch(port, dir, opts.persist, opts.args);
    },
  };
}

class PortClash extends Error {}

function assertInstalled(): void {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`redis-server not found (${binary}): install it with \`apt-get install redis-server\` (Redis 6.2 or newer)`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function launch(port: number, dir: string, persist = false, extra: string[] = []): Promise<ChildProcess> {
  const durability = persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...durability, '--dir', dir, '--loglevel', 'warning'];
  args.push(...extra);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  alive.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    // Keep the tail only: enough for the reason it stopped.
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    alive.delete(child);
  });
  child.once('error', () => {
    exited = true;
    alive.delete(child);
  });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      const why = output.trim().split('\n').slice(-3).join(' | ');
      if (/in use|already/i.test(output)) throw new PortClash(`redis-server could not bind 127.0.0.1:${port}: ${why}`);
      throw new Error(`redis-server exited on start (port ${port}): ${why || 'no output'}`);
    }
    if (await answersPing(port)) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  await terminate(child, 'SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms`);
}

/** One raw RESP round trip: true only on +PONG (not on -LOADING or a refused connection). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    alive.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      alive.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

/** Kill what is left when the test process ends (normally, or by SIGINT/SIGTERM), and remove the dirs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanup = () => {
    for (const child of alive) child.kill('SIGKILL');
    alive.clear();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs.clear();
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      // Only act as the default would when no one else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * A redis-server and one ioredis client for a test file: started before its tests, handed to
 * `ready`, stopped after; with `flush`, emptied before each test.
 */
export function useRedis(ready: (server: TestRedis, client: Redis) => void, opts: { flush?: boolean } = {}): void {
  let server: TestRedis | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedis();
    client = new Redis(server.url, { maxRetriesPerRequest: 3 });
    ready(server, client);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  if (opts.flush) beforeEach(async () => void (await client?.flushall()));
}
