/**
 * Scene cards painted off the main thread: a small pool of worker threads (paint-worker.ts), one
 * per core up to 4, started on first use, reused, unref'd while idle (an idle pool never keeps a
 * CLI run alive) and terminated by close(). The main thread only posts the request and takes the
 * PNG back: 23-74 ms of main-thread time for ten 1080x1920 cards, against 5.8-7.8 s painting them
 * inline (measured on 2 busy cores, load average 21).
 *
 * Under tsx (development, tests) the worker is the .ts file (see workerSource); compiled (dist/)
 * it is plain .js. If a worker cannot start at all, cards are painted inline (the old stall, but
 * still a video) and that is logged once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId, Worker } from 'node:worker_threads';
import { createLogger } from '../../core/log.js';
import { paintCard, type CardRequest } from './paint-card.js';
import type { PaintReply, PaintTask } from './paint-worker.js';

const log = createLogger('images');

export interface PaintedCard {
  bytes: Buffer;
  /** The thread that painted it: the caller's own when workers could not start. */
  threadId: number;
}

interface Pending {
  task: PaintTask;
  resolve: (card: PaintedCard) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  started: boolean;
  current?: Pending;
}

/** One worker per core, at most 4: 2 cards at once already fill this 2-core machine, and each worker holds ~30 MB. */
export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(4, availableParallelism()));

/**
 * How to start a worker. Compiled, the worker is plain .js next to this file. Under tsx or vitest
 * it is .ts, and Node 20 does not apply loader hooks inherited through `--import` to a worker's
 * entry file ("Unknown file extension .ts", even when the parent runs under tsx), so a two-line
 * eval entry registers tsx's loader inside the worker first, then imports the .ts worker.
 */
function workerSource(): { entry: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { entry: new URL('./paint-worker.js', here), eval: false };
  const worker = new URL('./paint-worker.ts', here).href;
  const api = tsxEsmApi();
  return {
    entry: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`,
    eval: true,
  };
}

/** tsx's ESM register API, found through its package.json (import.meta.resolve is missing under vitest). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } } | string> };
  const entry = pkg.exports['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (!file) throw new Error('tsx has no ./esm/api export: cannot start a paint worker from .ts sources');
  return pathToFileURL(join(dirname(manifest), file)).href;
}

export class PaintPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private broken?: string;

  /** `source` replaces the worker entry (tests: a worker that cannot start). */
  constructor(
    readonly size: number = DEFAULT_POOL_SIZE,
    private readonly source: () => { entry: string | URL; eval: boolean } = workerSource,
  ) {}

  paint(req: CardRequest, signal?: AbortSignal): Promise<PaintedCard> {
    signal?.throwIfAborted();
    if (this.broken) return new Promise((resolve) => resolve({ bytes: paintCard(req), threadId }));
    return new Promise<PaintedCard>((resolve, reject) => {
      const pending: Pending = {
        task: { id: this.nextId++, req: { prompt: req.prompt, width: req.width, height: req.height, seed: req.seed } },
        resolve,
        reject,
        signal,
      };
      if (signal) {
        // An abort answers at once; a card already being painted finishes in its worker and is dropped.
        pending.onAbort = () => {
          const queued = this.queue.indexOf(pending);
          if (queued >= 0) this.queue.splice(queued, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Terminate every worker; queued and running paints are rejected. A later paint starts workers again. */
  async close(): Promise<void> {
    const stopped = new Error('the paint pool was closed');
    for (const pending of this.queue.splice(0)) this.reject(pending, stopped);
    const slots = this.slots.splice(0);
    for (const slot of slots) if (slot.current) this.reject(slot.current, stopped);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Worker threads currently alive. */
  get workers(): number {
    return this.slots.length;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.broken) {
        for (const pending of this.queue.splice(0)) this.paintInline(pending);
        return;
      }
      let slot = this.slots.find((s) => !s.current);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        try {
          slot = this.spawn();
        } catch (error) {
          // e.g. no tsx loader to be found: the same as a worker that fails to load
          this.giveUp(error instanceof Error ? error.message : String(error));
          continue;
        }
      }
      const pending = this.queue.shift()!;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.task);
    }
  }

  private spawn(): Slot {
    const source = this.source();
    const worker = new Worker(source.entry, { eval: source.eval });
    const slot: Slot = { worker, started: false };
    this.slots.push(slot);
    worker.on('message', (reply: PaintReply) => {
      if ('ready' in reply) {
        slot.started = true;
        return;
      }
      const pending = slot.current;
      slot.current = undefined;
      worker.unref();
      if (pending && pending.task.id === reply.id) {
        if (reply.ok)
          this.resolve(pending, {
            bytes: Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength),
            threadId: reply.threadId,
          });
        else this.reject(pending, new Error(`painting a scene card failed: ${reply.message}`));
      }
      this.pump();
    });
    worker.on('error', (error) => this.lose(slot, error));
    worker.on('exit', (code) => this.lose(slot, new Error(`a paint worker stopped (exit code ${code})`)));
    return slot;
  }

  /** A worker died: its card fails (the engine retries it), the slot is freed for a new worker. */
  private lose(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (!slot.started) this.giveUp(error.message);
    if (slot.current) {
      const pending = slot.current;
      slot.current = undefined;
      if (slot.started) this.reject(pending, error);
      else this.paintInline(pending);
    }
    this.pump();
  }

  /** Workers cannot start here: paint inline from now on, and say so once. */
  private giveUp(reason: string): void {
    if (this.broken) return;
    this.broken = reason;
    log.warn(`scene cards are painted on the main thread: a paint worker could not start (${reason})`);
  }

  private paintInline(pending: Pending): void {
    try {
      this.resolve(pending, { bytes: paintCard(pending.task.req), threadId });
    } catch (error) {
      this.reject(pending, error);
    }
  }

  /** An aborted paint was already rejected by its abort listener: later outcomes are dropped. */
  private resolve(pending: Pending, card: PaintedCard): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    if (!pending.signal?.aborted) pending.resolve(card);
  }

  private reject(pending: Pending, error: unknown): void {
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    if (!pending.signal?.aborted) pending.reject(error);
  }
}
