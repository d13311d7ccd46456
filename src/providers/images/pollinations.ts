/**
 * Pollinations images (FLUX.1 schnell by default). Two endpoints, chosen by config: the legacy
 * anonymous one (`GET /prompt/{prompt}`, queued per IP, one at a time) and the key-based gateway
 * (`GET /image/{prompt}` with a Bearer key). One attempt per call; every 200 is checked.
 */
import type { Config } from '../../config.js';
import type { GeneratedImage, ImageProvider, ImageRequest } from '../types.js';
import { ProviderError } from '../errors.js';
import { httpRequest } from '../http.js';
import { checkImage } from './check-image.js';

export type PollinationsConfig = Config['images']['pollinations'];

/** The prompt travels in the URL path: keep it well under common URL limits. */
const MAX_PROMPT_CHARS = 1200;

/** FLUX works on multiples of 16. */
export const snap16 = (n: number) => Math.max(256, Math.round(n / 16) * 16);

export function pollinationsUrl(cfg: PollinationsConfig, req: Pick<ImageRequest, 'prompt' | 'width' | 'height' | 'seed'>): string {
  const prompt = [...req.prompt.replace(/\s+/g, ' ').trim()].slice(0, MAX_PROMPT_CHARS).join('');
  const path = cfg.mode === 'gateway' ? '/image/' : '/prompt/';
  const query = new URLSearchParams({
    model: cfg.model,
    width: String(snap16(req.width)),
    height: String(snap16(req.height)),
    seed: String(req.seed),
    enhance: String(cfg.enhance),
    safe: String(cfg.safe),
  });
  if (cfg.mode === 'legacy') {
    query.set('nologo', String(cfg.nologo));
    query.set('private', String(cfg.private));
    if (cfg.referrer) query.set('referrer', cfg.referrer);
  }
  return `${cfg.baseUrl}${path}${encodeURIComponent(prompt)}?${query}`;
}

export class PollinationsImageProvider implements ImageProvider {
  readonly name = 'pollinations';
  readonly model: string;
  readonly concurrency: number;

  constructor(private readonly cfg: PollinationsConfig) {
    this.model = cfg.model;
    this.concurrency = cfg.concurrency;
  }

  async generate(req: ImageRequest): Promise<GeneratedImage> {
    const headers: Record<string, string> = { accept: 'image/*' };
    if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
    const res = await httpRequest({
      provider: this.name,
      url: pollinationsUrl(this.cfg, req),
      headers,
      timeoutMs: this.cfg.timeoutMs,
      signal: req.signal,
    });
    const checked = checkImage(res.body, res.contentType);
    if (!checked.ok) {
      throw new ProviderError(`${this.name} answered 200 with ${checked.reason}`, { provider: this.name, retryable: true, status: res.status });
    }
    return checked.image;
  }
}
