/**
 * Which language a story is written in: tinyld (n-gram profiles, 62 languages) on every sentence,
 * each sentence's vote weighted by its length, so a story that mixes languages is narrated in
 * the one most of it is written in. Chosen over eld and franc-min on 112 short texts in 16
 * languages (docs/languages.md): 112/112 right on 1-3 sentences, 99/112 on the first 12
 * characters alone (eld small 96, franc-min 61), 29 MB of heap.
 *
 * A hint (the Discord user's locale) decides when the text says too little: nothing detected,
 * fewer than 12 letters that the hinted language could have written, or the hinted language
 * scoring at least half as well as the best one (Spanish and Portuguese, Danish and Norwegian
 * share most short words). A hint the text contradicts ("en" for a Japanese text) is ignored.
 */
import { detectAll } from 'tinyld';
import { normalizeLanguage } from './language.js';

export interface DetectedLanguage {
  /** BCP-47 primary language subtag, e.g. "es". */
  language: string;
  /** detected: from the text; hint: the caller's hint decided; default: nothing to go on. */
  source: 'detected' | 'hint' | 'default';
  /** Share of the weighted votes the language got, 0-1 (1 for a hint or default). */
  confidence: number;
}

/**
 * Sentences read, at most, spread evenly over a long story: an even sample of 48 is enough to find
 * the main language. Reading all 465 of a 20,000-character story took 437 ms (first call, under load)
 * on the bot's event loop; the sample takes 38-78 ms warm.
 */
const MAX_SENTENCES = 48;

/** Too few letters to trust the text over a hint. */
const FEW_LETTERS = 12;
/** The hint wins when it scores at least this fraction of the best language's score. */
const HINT_RATIO = 0.5;

const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const DENSE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu;

/** URLs, Discord mentions and custom emoji, and pictographs say nothing about the language. */
export function languageText(text: string): string {
  return text
    .replace(/https?:\/\/\S+/gu, ' ')
    .replace(/<a?:\w+:\d+>|<[@#][!&]?\d+>/gu, ' ')
    .replace(/[\p{Extended_Pictographic}\p{Regional_Indicator}]|\u200d|\ufe0f/gu, ' ');
}

function letterWeight(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  // A Han or kana character carries about as much as a word of 2.5 Latin letters... plus its letter.
  return letters + (text.match(DENSE)?.length ?? 0) * 1.5;
}

function addVotes(totals: Map<string, number>, text: string, weight: number): void {
  const found = detectAll(text)
    .map((r) => ({ lang: normalizeLanguage(r.lang), score: r.accuracy }))
    .filter((r): r is { lang: string; score: number } => r.lang !== undefined && r.score > 0);
  const sum = found.reduce((a, r) => a + r.score, 0);
  if (sum <= 0) return;
  for (const r of found) totals.set(r.lang, (totals.get(r.lang) ?? 0) + (weight * r.score) / sum);
}

export function detectLanguage(text: string, opts: { hint?: string; fallback?: string } = {}): DetectedLanguage {
  const hint = normalizeLanguage(opts.hint);
  const clean = languageText(text);
  const all = Array.from(sentences.segment(clean), (s) => s.segment).filter((s) => letterWeight(s) > 0);
  const step = Math.max(1, all.length / MAX_SENTENCES);
  const sample = all.length <= MAX_SENTENCES ? all : Array.from({ length: MAX_SENTENCES }, (_, i) => all[Math.floor(i * step)]!);
  const totals = new Map<string, number>();
  for (const sentence of sample) addVotes(totals, sentence, letterWeight(sentence));
  // The whole sample votes too, as much as all its sentences: a run of very short sentences
  // ("Il treno. Si fermò.") is clearer together than apart.
  const joined = sample.join(' ');
  addVotes(totals, joined, letterWeight(joined));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const votes = ranked.reduce((a, [, v]) => a + v, 0);
  const best = ranked[0];
  if (hint) {
    const hinted = totals.get(hint) ?? 0;
    const few = (clean.match(/\p{L}/gu)?.length ?? 0) < FEW_LETTERS;
    if (!best || hinted >= best[1] * HINT_RATIO || (few && hinted > 0)) {
      return { language: hint, source: 'hint', confidence: 1 };
    }
  }
  if (!best) return { language: normalizeLanguage(opts.fallback) ?? 'en', source: 'default', confidence: 1 };
  return { language: best[0], source: 'detected', confidence: best[1] / votes };
}
