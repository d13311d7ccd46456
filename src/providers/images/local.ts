/**
 * The offline image provider: a painted scene card (paint-card.ts), painted in a worker thread
 * (paint-pool.ts) so the bot's event loop keeps answering while cards paint. Also the stand-in
 * card when a real image provider fails. Deterministic: the same prompt and seed give the same PNG.
 * The style is the one whose words the composed prompt carries (core/image-prompt.ts styleInPrompt).
 */
import type { GeneratedImage, ImageProvider, ImageRequest } from '../types.js';
import { PaintPool } from './paint-pool.js';

export { paintCard } from './paint-card.js';

/** One pool per process: every engine and job shares the cores. */
let sharedPool: PaintPool | undefined;
/** Made on first use; a test may bring its own pool. */
function sharedPaintPool(): PaintPool {
  sharedPool ??= new PaintPool();
  return sharedPool;
}

export class LocalImageProvider implements ImageProvider {
  readonly name = 'local';
  /**
   * Part of the cache key, so cards of an older painter are not reused. v2: no keyword label (issue
   * 12 item 11). v3: the style shows in the picture (issue 20 item 9), and the scene's things as
   * pictographs (issue 21).
   */
  readonly model = 'card-v3';
  readonly concurrency = 2;
  private readonly pool: PaintPool;

  constructor(opts: { pool?: PaintPool } = {}) {
    this.pool = opts.pool ?? sharedPaintPool();
  }

  async generate(req: ImageRequest): Promise<GeneratedImage> {
    const card = await this.pool.paint(req, req.signal);
    return { bytes: card.bytes, mime: 'image/png', width: req.width, height: req.height };
  }

  /** Stop the paint workers (idle ones never keep the process alive; this frees them at once). */
  close(): Promise<void> {
    return this.pool.close();
  }
}
