/**
 * `--voice NAME` checked before any work against the voice provider's list: a name it does not know
 * is refused with the closest names it does (espeak-ng quietly read "nosuchvoice" as en-us, and "zz"
 * made a silent video). espeak-ng's list is its own (`espeak-ng --voices`: languages, voice names and
 * files, each with an optional +variant); Inworld's is its public voices, plus a workspace's own
 * voices (ids with "__", which only the service can check). The presets fit every provider.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { INWORLD_LISTED_VOICES, isVoicePreset, VOICE_PRESET_NAMES } from '../voice-presets.js';

const run = promisify(execFile);

export type VoiceCheck = { ok: true } | { ok: false; known: string; close: string[] };

/** espeak-ng's voices, lower case: language codes, voice names and voice files (`gmw/af` -> `af`); undefined when it cannot say. */
export async function espeakVoices(binary = 'espeak-ng'): Promise<Set<string> | undefined> {
  try {
    const { stdout } = await run(binary, ['--voices'], { timeout: 10_000 });
    const names = new Set<string>();
    for (const line of stdout.split('\n').slice(1)) {
      const [, language, , name, file] = line.trim().split(/\s+/);
      for (const v of [language, name, file, file?.split('/').at(-1)]) if (v) names.add(v.toLowerCase());
    }
    return names.size > 0 ? names : undefined;
  } catch {
    return undefined;
  }
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to five names near `wanted`: a small edit away, or starting the same way. */
export function closeMatches(wanted: string, names: Iterable<string>): string[] {
  const w = wanted.toLowerCase();
  const scored: [string, number][] = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const d = distance(w, n);
    const near = d <= Math.max(1, Math.floor(w.length / 3)) || (w.length >= 2 && (n.startsWith(w) || w.startsWith(n)));
    if (near) scored.push([name, d]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([name]) => name);
}

/** Is `voice` one `provider` ('espeak' | 'inworld') has? Unknown providers, and an espeak that cannot list, pass. */
export async function checkVoice(provider: string, voice: string, opts: { espeakPath?: string } = {}): Promise<VoiceCheck> {
  if (isVoicePreset(voice)) return { ok: true };
  if (provider === 'espeak') {
    const voices = await espeakVoices(opts.espeakPath);
    if (!voices) return { ok: true };
    const [base = '', variant] = voice.toLowerCase().split('+');
    if (voices.has(base) && (variant === undefined || /^[a-z0-9]+$/.test(variant))) return { ok: true };
    return { ok: false, known: 'espeak-ng (espeak-ng --voices lists them)', close: closeMatches(base, voices) };
  }
  if (provider === 'inworld') {
    if (voice.includes('__') || INWORLD_LISTED_VOICES.includes(voice)) return { ok: true };
    return { ok: false, known: 'Inworld', close: closeMatches(voice, INWORLD_LISTED_VOICES) };
  }
  return { ok: true };
}

/** One line for a voice that was refused. */
export function voiceRefusal(voice: string, check: Extract<VoiceCheck, { ok: false }>): string {
  const close = check.close.length ? `; close: ${check.close.join(', ')}` : '';
  return `--voice "${voice}" is not a voice of ${check.known}${close}; or use a preset: ${VOICE_PRESET_NAMES.join(', ')}`;
}
