/**
 * The start-up check behind VOICE_PROVIDER=auto without an Inworld key: does Edge's read-aloud
 * service answer from here? One GET of its voice list (JSON, no speech made), with a short timeout.
 */
import { probeJson } from '../startup-probe.js';
import { voiceListUrl } from './edge-protocol.js';

export interface EdgeCheck {
  answered: boolean;
  /** Why, for the start-up line. */
  detail: string;
  /** The voice names it lists, when it answered. */
  voices?: string[];
}

export async function checkEdge(opts: { baseUrl: string; timeoutMs: number; signal?: AbortSignal }): Promise<EdgeCheck> {
  const probe = await probeJson({
    ...opts,
    url: voiceListUrl(opts.baseUrl, Date.now()),
    expected: 'its voice list',
    maxBytes: 4 * 1024 * 1024,
  });
  if (!probe.answered) return { answered: false, detail: probe.detail };
  const voices = Array.isArray(probe.json)
    ? probe.json.map((v) => (v as { ShortName?: unknown }).ShortName).filter((n): n is string => typeof n === 'string')
    : [];
  if (voices.length === 0) return { answered: false, detail: `${probe.host} answered the check without a voice list` };
  return { answered: true, detail: `${probe.host} answered the start-up check in ${probe.ms} ms`, voices };
}
