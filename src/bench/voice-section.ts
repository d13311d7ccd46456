/**
 * Time to first audio, per voice provider, on the bench's fakes (and espeak-ng on this machine):
 * one scene's narration said `rounds` times by each; the median time until the first audio bytes
 * arrived (Edge streams MP3 frames; Inworld answers whole; espeak-ng writes as it goes) and until
 * the whole narration was in.
 */
import type { VoiceProvider } from '../providers/types.js';

export interface VoiceTiming {
  provider: string;
  firstAudioMs: number;
  totalMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function measureVoices(providers: VoiceProvider[], text: string, rounds = 3): Promise<VoiceTiming[]> {
  const out: VoiceTiming[] = [];
  for (const provider of providers) {
    const first: number[] = [];
    const total: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      let firstAt: number | undefined;
      await provider.synthesize({ text, onAudio: () => (firstAt ??= performance.now()) });
      const end = performance.now();
      first.push((firstAt ?? end) - t0);
      total.push(end - t0);
    }
    out.push({ provider: provider.name, firstAudioMs: Math.round(median(first)), totalMs: Math.round(median(total)) });
  }
  return out;
}

export function formatVoices(timings: VoiceTiming[]): string {
  const rows = timings.map(
    (t) =>
      `  ${t.provider.padEnd(8)} first audio ${String(t.firstAudioMs).padStart(5)} ms, whole narration ${String(t.totalMs).padStart(5)} ms`,
  );
  return `voices: time to first audio (one scene's narration, median)\n${rows.join('\n')}\n`;
}
