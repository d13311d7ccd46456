/**
 * Pollinations images (FLUX.1 schnell by default). Two endpoints, chosen by config:
 * - legacy `GET {base}/prompt/{prompt}?model&width&height&seed&nologo&enhance&safe&private&referrer`,
 *   anonymous (queued per IP, one at a time) or with a token;
 * - gateway `GET {base}/image/{prompt}?model&width&height&seed&enhance&safe` with a Bearer key.
 * A key always travels as `Authorization: Bearer`, never as `?token=`, so no URL holds a secret.
 * A request with references (the cast's portraits) adds `image={url}|{url}` and asks the
 * reference model (klein: several references; kontext: one); a portrait's reference is the URL of
 * the portrait's own request (`referenceUrl`), which Pollinations serves from its cache.
 * One attempt per call; every 200 is checked to be a real, whole image of a sensible size.
 */
import type { GeneratedImage, ImageProvider, ImageRequest } from '../types.js';
import { ProviderError } from '../errors.js';
import { httpRequest } from '../http.js';
import { checkImage } from './check-image.js';

/** What this provider needs (src/config.ts maps the environment to it). */
export interface PollinationsOptions {
  mode: 'legacy' | 'gateway';
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** The model for a request with references (POLLINATIONS_REFERENCE_MODEL); none: references are not sent. */
  referenceModel?: string;
  concurrency: number;
  timeoutMs: number;
  nologo: boolean;
  enhance: boolean;
  safe: boolean;
  private: boolean;
  referrer: string;
}

/** FLUX packs 2x2 latent patches over an 8x VAE: sides must be multiples of 16 (diffusers resizes otherwise). */
export const FLUX_MULTIPLE = 16;
export const FLUX_MIN_SIDE = 256;
/** Pollinations serves at most about 2048 px a side. */
export const FLUX_MAX_SIDE = 2048;
/** The prompt travels in the URL path: its encoded form stays under this many characters. */
export const MAX_ENCODED_PROMPT = 1800;
const MAX_SEED = 2_147_483_647;
/** Models that take one reference image only (FLUX.1 Kontext); klein takes several. */
const ONE_REFERENCE_MODELS = new Set(['kontext']);
/** References per request, at most: one portrait per main character (MAX_CAST). */
export const MAX_REFERENCES = 4;

/** The size to ask for: same aspect ratio, within FLUX's range, both sides multiples of 16. */
export function fluxSize(width: number, height: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new RangeError(`image size must be positive (got ${width}x${height})`);
  }
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  let scale = 1;
  if (long > FLUX_MAX_SIDE) scale = FLUX_MAX_SIDE / long;
  else if (short < FLUX_MIN_SIDE) scale = Math.min(FLUX_MIN_SIDE / short, FLUX_MAX_SIDE / long);
  const snap = (n: number) => Math.min(FLUX_MAX_SIDE, Math.max(FLUX_MIN_SIDE, Math.round((n * scale) / FLUX_MULTIPLE) * FLUX_MULTIPLE));
  return { width: snap(width), height: snap(height) };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Whitespace collapsed, and cut (between graphemes, at a word end when one is near) so that the
 * URL-encoded prompt stays within `maxEncoded` characters. Non-Latin text encodes to 6-9
 * characters per letter, so the budget is on the encoded form, not the letters.
 */
export function fitPrompt(prompt: string, maxEncoded = MAX_ENCODED_PROMPT): string {
  const text = prompt.replace(/\s+/g, ' ').trim();
  if (encodeURIComponent(text).length <= maxEncoded) return text;
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const cost = encodeURIComponent(segment).length;
    if (used + cost > maxEncoded) break;
    used += cost;
    end = index + segment.length;
  }
  const cut = text.slice(0, end);
  const lastSpace = cut.lastIndexOf(' ');
  const atWord = lastSpace > cut.length * 0.8 ? cut.slice(0, lastSpace) : cut;
  return atWord.replace(/[\s,;:.\-–—]+$/u, '');
}

export function pollinationsUrl(
  cfg: PollinationsOptions,
  req: Pick<ImageRequest, 'prompt' | 'width' | 'height' | 'seed' | 'references' | 'safe'>,
): string {
  const size = fluxSize(req.width, req.height);
  const references = cfg.referenceModel ? (req.references ?? []) : [];
  const model = references.length > 0 && cfg.referenceModel ? cfg.referenceModel : cfg.model;
  const query = new URLSearchParams({
    model,
    width: String(size.width),
    height: String(size.height),
    seed: String(Math.abs(Math.trunc(req.seed)) % MAX_SEED),
    enhance: String(cfg.enhance),
    // A bot job says (safe images unless an age-restricted channel allows otherwise); the CLI follows the config.
    safe: String(req.safe ?? cfg.safe),
  });
  if (cfg.mode === 'legacy') {
    query.set('nologo', String(cfg.nologo));
    query.set('private', String(cfg.private));
    if (cfg.referrer) query.set('referrer', cfg.referrer);
  }
  if (references.length > 0) query.set('image', references.slice(0, ONE_REFERENCE_MODELS.has(model) ? 1 : MAX_REFERENCES).join('|'));
  const path = cfg.mode === 'gateway' ? '/image/' : '/prompt/';
  return `${cfg.baseUrl}${path}${encodeURIComponent(fitPrompt(req.prompt))}?${query}`;
}

export class PollinationsImageProvider implements ImageProvider {
  readonly name = 'pollinations';
  readonly model: string;
  readonly concurrency: number;
  readonly referenceModel?: string;

  constructor(private readonly cfg: PollinationsOptions) {
    this.model = cfg.model;
    this.concurrency = cfg.concurrency;
    this.referenceModel = cfg.referenceModel;
  }

  /** The URL of this image's own request (no key in it): Pollinations fetches it as a reference. */
  referenceUrl(req: Pick<ImageRequest, 'prompt' | 'width' | 'height' | 'seed' | 'safe'>): string {
    return pollinationsUrl(this.cfg, { ...req, references: undefined });
  }

  async generate(req: ImageRequest): Promise<GeneratedImage> {
    const headers: Record<string, string> = { accept: 'image/jpeg, image/png, image/webp;q=0.9, image/*;q=0.5' };
    if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
    let url: string;
    try {
      url = pollinationsUrl(this.cfg, req);
    } catch (error) {
      throw new ProviderError(`${this.name}: ${(error as Error).message}`, { provider: this.name, retryable: false });
    }
    const res = await httpRequest({ provider: this.name, url, headers, timeoutMs: this.cfg.timeoutMs, signal: req.signal });
    const checked = checkImage(res.body, res.contentType);
    if (!checked.ok) {
      throw new ProviderError(`${this.name} answered ${res.status} with ${checked.reason}`, {
        provider: this.name,
        retryable: true,
        status: res.status,
      });
    }
    return checked.image;
  }
}
