/**
 * The start-up check behind VOICE_PROVIDER=auto without an Inworld key: does Edge's read-aloud
 * service answer from here? One GET of its voice list (JSON, no speech made), with a short
 * timeout. Only a JSON list of voices counts: a captive portal answers 200 with an HTML page.
 */
import { httpRequest } from '../http.js';
import { voiceListUrl } from './edge-protocol.js';

export interface EdgeCheck {
  answered: boolean;
  /** Why, for the start-up line. */
  detail: string;
  /** The voice names it lists, when it answered. */
  voices?: string[];
}

export async function checkEdge(opts: { baseUrl: string; timeoutMs: number; signal?: AbortSignal }): Promise<EdgeCheck> {
  const url = voiceListUrl(opts.baseUrl, Date.now());
  const host = new URL(url).host;
  const startedAt = Date.now();
  try {
    const res = await httpRequest({
      provider: host,
      url,
      headers: { accept: 'application/json' },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      maxBytes: 4 * 1024 * 1024,
    });
    let voices: string[] | undefined;
    try {
      const list = JSON.parse(res.body.toString('utf8')) as unknown;
      if (Array.isArray(list))
        voices = list.map((v) => (v as { ShortName?: unknown }).ShortName).filter((n): n is string => typeof n === 'string');
    } catch {
      // not JSON: below
    }
    if (!voices || voices.length === 0) return { answered: false, detail: `${host} answered the check without a voice list` };
    return { answered: true, detail: `${host} answered the start-up check in ${Date.now() - startedAt} ms`, voices };
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    return { answered: false, detail: (error as Error).message };
  }
}
