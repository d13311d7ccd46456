/**
 * What every start-up check of a keyless service does: one GET of a small JSON document (a model
 * or voice list) with a short timeout. Only JSON counts: a captive portal or proxy answers 200
 * with an HTML page. Never rejects (but for the caller's abort): a failure is a reason.
 */
import { httpRequest } from './http.js';

export type ProbeResult = { answered: true; json: unknown; ms: number; host: string } | { answered: false; detail: string; host: string };

/** `expected` names the document for the reason ("its model list"). */
export async function probeJson(opts: {
  url: string;
  expected: string;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
}): Promise<ProbeResult> {
  const host = new URL(opts.url).host;
  const startedAt = Date.now();
  try {
    const res = await httpRequest({
      provider: host,
      url: opts.url,
      headers: { accept: 'application/json' },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      maxBytes: opts.maxBytes ?? 1024 * 1024,
    });
    const ms = Date.now() - startedAt;
    const text = res.body.toString('utf8');
    try {
      return { answered: true, json: JSON.parse(text), ms, host };
    } catch {
      const what = /<html|<!doctype/i.test(text.slice(0, 512)) ? 'an HTML page' : 'something';
      return { answered: false, detail: `${host} answered the check with ${what} instead of ${opts.expected}`, host };
    }
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    return { answered: false, detail: (error as Error).message, host };
  }
}
