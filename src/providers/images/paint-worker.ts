/**
 * A paint worker thread: receives card requests, answers PNG bytes (transferred, not copied
 * twice). Painting a 1080x1920 card takes 300-1000 ms of CPU (Skia rasterises and PNG-encodes in
 * one synchronous call), which on the main thread stalled the bot's gateway for that long.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { paintCard, type CardRequest } from './paint-card.js';

export interface PaintTask {
  id: number;
  req: CardRequest;
}

export type PaintReply =
  | { ready: true }
  | { id: number; ok: true; bytes: Uint8Array; threadId: number }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('paint-worker.ts runs as a worker thread (see paint-pool.ts)');

port.on('message', (task: PaintTask) => {
  let reply: PaintReply;
  try {
    // A copy of our own: the encoder's buffer belongs to the native side and cannot be transferred.
    const bytes = new Uint8Array(paintCard(task.req));
    reply = { id: task.id, ok: true, bytes, threadId };
    port.postMessage(reply, [bytes.buffer]);
  } catch (error) {
    reply = { id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});

// Loaded (canvas and all): from now on a crash is a failed card, not a worker that cannot start.
port.postMessage({ ready: true } satisfies PaintReply);
