/**
 * The start-up check behind IMAGE_PROVIDER=auto without a key: does Pollinations' anonymous
 * endpoint answer from here? One GET of its model list (`{legacy base}/models`, a few hundred
 * bytes of JSON, no image generated, no place in the per-IP queue taken), with a short timeout.
 * Only a JSON answer counts: a captive portal or proxy answers 200 with an HTML page.
 */
import { httpRequest } from '../http.js';

export interface PollinationsCheck {
  answered: boolean;
  /** Why, for the start-up line: "image.pollinations.ai answered in 230 ms", "... could not be reached (ENOTFOUND)". */
  detail: string;
}

export async function checkPollinations(opts: { baseUrl: string; timeoutMs: number; signal?: AbortSignal }): Promise<PollinationsCheck> {
  const url = `${opts.baseUrl}/models`;
  const host = new URL(url).host;
  const startedAt = Date.now();
  try {
    const res = await httpRequest({
      provider: host,
      url,
      headers: { accept: 'application/json' },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      maxBytes: 1024 * 1024,
    });
    const ms = Date.now() - startedAt;
    try {
      JSON.parse(res.body.toString('utf8'));
    } catch {
      return {
        answered: false,
        detail: `${host} answered the check with ${/<html|<!doctype/i.test(res.body.toString('utf8', 0, 512)) ? 'an HTML page' : 'something'} instead of its model list`,
      };
    }
    return { answered: true, detail: `${host} answered the start-up check in ${ms} ms` };
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    return { answered: false, detail: (error as Error).message };
  }
}
