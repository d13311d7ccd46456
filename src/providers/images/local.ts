/**
 * The offline image provider: a painted scene card (paint-card.ts). Also the stand-in card when a
 * real image provider fails. Deterministic: the same prompt and seed give the same PNG.
 */
import type { GeneratedImage, ImageProvider, ImageRequest } from '../types.js';
import { paintCard } from './paint-card.js';

export { paintCard } from './paint-card.js';

export class LocalImageProvider implements ImageProvider {
  readonly name = 'local';
  /** v2: no keyword label (issue 12 item 11); the version is part of the cache key, so old labelled cards are not reused. */
  readonly model = 'card-v2';
  readonly concurrency = 2;

  async generate(req: ImageRequest): Promise<GeneratedImage> {
    req.signal?.throwIfAborted();
    const bytes = paintCard(req);
    return { bytes, mime: 'image/png', width: req.width, height: req.height };
  }
}
