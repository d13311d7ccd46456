/**
 * Word timings estimated from a voice's audio, for voices that give none (espeak-ng) and for
 * timings that fail their sanity check (Inworld outside English and Spanish).
 *
 * The audio is cut into 10 ms frames; frames far quieter than the speech are silence. The voiced
 * span runs from the first loud frame to the last. Pauses (silences of PAUSE_SECONDS or more inside
 * it) are where a voice stops at commas and sentence ends: each break in the text (a word ending in
 * punctuation) is snapped to the pause nearest where the words' weights put it, in order, and the
 * words between two snapped breaks share the voiced time between those pauses by weight
 * (syllables, letters, digits). Measured against espeak-ng's own word events: see
 * test/providers/estimate-word-times.test.ts.
 */
import type { WordTiming } from '../../core/story.js';
import type { Pcm } from '../../core/wav.js';

const FRAME_SECONDS = 0.01;
/** A silence at least this long inside speech is a pause (a stop consonant's closure is shorter). */
const PAUSE_SECONDS = 0.12;
/** A frame is silent below this share of the loud frames' level (their 90th percentile)... */
const QUIET_SHARE = 0.04;
/** ...and always below this absolute level (of 32,768). */
const QUIET_FLOOR = 40;

const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const SPELLED = /[\p{L}\p{N}]/u;
const SENTENCE_END = /[.!?…。！？]["'”’»)\]]*$/u;
const CLAUSE_END = /[,;:—–、，；：]["'”’»)\]]*$/u;
const VOWELS =
  /[aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēĕėęěīĭįıōŏőœūŭůűųαεηιοωυаеёиоуыэюяіїєөүاويآ\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Hangul}]+/giu;
/** How much longer the last word before a pause takes than its weight says. */
const FINAL_LENGTHENING = 1.3;
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** The words of a text as a voice says them: spaces split words; scripts without spaces by the segmenter. */
export function spokenWords(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/\s+/u).filter(Boolean)) {
    if (!NO_SPACE_SCRIPT.test(token)) {
      if (SPELLED.test(token) || out.length === 0) out.push(token);
      else out[out.length - 1] += ` ${token}`;
      continue;
    }
    const first = out.length;
    for (const { segment, isWordLike } of wordSegmenter.segment(token)) {
      if (!segment.trim()) continue;
      if (!isWordLike && out.length > first) out[out.length - 1] += segment;
      else out.push(segment);
    }
  }
  return out;
}

/** How long a word takes to say, in rough syllables: vowel groups, letters, digits (read as words). */
export function wordWeight(word: string): number {
  let weight = 0.3;
  const letters = [...word].filter((c) => /\p{L}/u.test(c));
  const digits = word.replace(/\D/gu, '').length;
  const cjk = letters.filter((c) => NO_SPACE_SCRIPT.test(c)).length;
  if (cjk > 0) return weight + cjk * 1.0 + digits * 1.2;
  const syllables = word.toLowerCase().match(VOWELS)?.length ?? 0;
  weight += Math.max(1, syllables) * 0.7 + letters.length * 0.12 + digits * 1.8;
  return weight;
}

interface Span {
  start: number;
  end: number;
}

/** Per 10 ms frame: whether it is voiced. */
export function voicedFrames(pcm: Pcm): boolean[] {
  const frame = Math.max(1, Math.round(pcm.sampleRate * FRAME_SECONDS));
  const total = Math.floor(pcm.samples.length / (2 * pcm.channels));
  const levels: number[] = [];
  for (let f = 0; f * frame < total; f++) {
    let sum = 0;
    let n = 0;
    for (let i = f * frame; i < Math.min(total, (f + 1) * frame); i++) {
      const v = pcm.samples.readInt16LE(i * 2 * pcm.channels);
      sum += v * v;
      n++;
    }
    levels.push(Math.sqrt(sum / Math.max(1, n)));
  }
  const loud = levels.filter((l) => l > QUIET_FLOOR).sort((a, b) => a - b);
  const reference = loud[Math.floor(loud.length * 0.9)] ?? 0;
  const threshold = Math.max(QUIET_FLOOR, reference * QUIET_SHARE);
  return levels.map((l) => l > threshold);
}

/** The voiced span and the pauses inside it, in seconds; undefined for audio with no speech. */
export function speechLayout(pcm: Pcm): { voiced: Span; pauses: Span[] } | undefined {
  const voiced = voicedFrames(pcm);
  const first = voiced.indexOf(true);
  const last = voiced.lastIndexOf(true);
  if (first < 0) return undefined;
  const pauses: Span[] = [];
  let quietFrom = -1;
  for (let f = first; f <= last; f++) {
    if (!voiced[f]) {
      if (quietFrom < 0) quietFrom = f;
      continue;
    }
    if (quietFrom >= 0 && (f - quietFrom) * FRAME_SECONDS >= PAUSE_SECONDS - 1e-9) {
      pauses.push({ start: quietFrom * FRAME_SECONDS, end: f * FRAME_SECONDS });
    }
    quietFrom = -1;
  }
  return { voiced: { start: first * FRAME_SECONDS, end: (last + 1) * FRAME_SECONDS }, pauses };
}

/** Word timings for `text` as spoken in `pcm` (16-bit PCM); undefined when it holds no words or no speech. */
export function estimateWordTimes(text: string, pcm: Pcm): WordTiming[] | undefined {
  const words = spokenWords(text);
  const layout = speechLayout(pcm);
  if (words.length === 0 || !layout) return undefined;
  // a voice slows down on the last word before a pause (phrase-final lengthening)
  const weights = words.map(
    (w, k) => wordWeight(w) * (k === words.length - 1 || SENTENCE_END.test(w) || CLAUSE_END.test(w) ? FINAL_LENGTHENING : 1),
  );
  // where the text breaks: after word k (a clause or sentence end), with the weight before it
  const breaks: number[] = [];
  for (let k = 0; k < words.length - 1; k++) if (SENTENCE_END.test(words[k]!) || CLAUSE_END.test(words[k]!)) breaks.push(k);
  const anchors = snapBreaks(breaks, weights, layout);
  // segments between anchored breaks: their words share the voiced time between the pauses
  const out: WordTiming[] = [];
  let from = 0;
  let t0 = layout.voiced.start;
  for (const { after, pause } of [...anchors, { after: words.length - 1, pause: { start: layout.voiced.end, end: layout.voiced.end } }]) {
    const segment = weights.slice(from, after + 1);
    const total = segment.reduce((a, b) => a + b, 0);
    const seconds = Math.max(0, pause.start - t0);
    let t = t0;
    segment.forEach((w, i) => {
      const end = t + (seconds * w) / total;
      out.push({ word: words[from + i]!, start: round(t), end: round(end) });
      t = end;
    });
    from = after + 1;
    t0 = pause.end;
  }
  return out;
}

const round = (t: number) => Math.round(t * 1000) / 1000;

/**
 * Each break matched to a pause, in order: when there are as many pauses as breaks, one to one;
 * otherwise each break takes the nearest pause after the one before, within half the typical
 * phrase's length of where the weights put it. Breaks without a pause are not anchored.
 */
function snapBreaks(breaks: number[], weights: number[], layout: { voiced: Span; pauses: Span[] }): { after: number; pause: Span }[] {
  const { pauses, voiced } = layout;
  if (breaks.length === 0 || pauses.length === 0) return [];
  if (pauses.length === breaks.length) return breaks.map((after, i) => ({ after, pause: pauses[i]! }));
  const total = weights.reduce((a, b) => a + b, 0);
  const speaking = voiced.end - voiced.start - pauses.reduce((s, p) => s + p.end - p.start, 0);
  const pauseShare = (voiced.end - voiced.start - speaking) / breaks.length;
  const tolerance = (voiced.end - voiced.start) / (breaks.length + 1) / 2;
  const out: { after: number; pause: Span }[] = [];
  let next = 0;
  breaks.forEach((after, i) => {
    const weight = weights.slice(0, after + 1).reduce((a, b) => a + b, 0);
    const expected = voiced.start + (weight / total) * speaking + i * pauseShare;
    let best = -1;
    for (let p = next; p < pauses.length; p++) {
      const mid = (pauses[p]!.start + pauses[p]!.end) / 2;
      if (Math.abs(mid - expected) > tolerance) continue;
      if (best < 0 || Math.abs(mid - expected) < Math.abs((pauses[best]!.start + pauses[best]!.end) / 2 - expected)) best = p;
    }
    if (best >= 0) {
      out.push({ after, pause: pauses[best]! });
      next = best + 1;
    }
  });
  return out;
}
