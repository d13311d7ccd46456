/**
 * The start-up check behind IMAGE_PROVIDER=auto without a key: does Pollinations' anonymous
 * endpoint answer from here? One GET of its model list (`{legacy base}/models`, a few hundred
 * bytes of JSON, no image generated, no place in the per-IP queue taken), with a short timeout.
 */
import { probeJson } from '../startup-probe.js';

export interface PollinationsCheck {
  answered: boolean;
  /** Why, for the start-up line: "image.pollinations.ai answered in 230 ms", "... could not be reached (ENOTFOUND)". */
  detail: string;
}

export async function checkPollinations(opts: { baseUrl: string; timeoutMs: number; signal?: AbortSignal }): Promise<PollinationsCheck> {
  const probe = await probeJson({ ...opts, url: `${opts.baseUrl}/models`, expected: 'its model list' });
  if (!probe.answered) return { answered: false, detail: probe.detail };
  return { answered: true, detail: `${probe.host} answered the start-up check in ${probe.ms} ms` };
}
