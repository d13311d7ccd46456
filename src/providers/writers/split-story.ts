/**
 * Story text -> paragraphs of sentences (Intl.Segmenter, so CJK and Arabic punctuation work),
 * and sentences -> a number of balanced scenes that never cross a paragraph when avoidable.
 */
import { MAX_SCENES } from '../../core/story.js';

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

export interface Sentence {
  text: string;
  paragraph: number;
  /** Rough speaking weight: words, or characters/2.5 for scripts written without spaces. */
  weight: number;
}

export function speakingWeight(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  const dense = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu) ?? []).length;
  return Math.max(1, words + dense / 2.5);
}

export function splitSentences(story: string): Sentence[] {
  const paragraphs = story.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const sentences: Sentence[] = [];
  paragraphs.forEach((paragraph, index) => {
    for (const { segment } of sentenceSegmenter.segment(paragraph)) {
      const text = segment.trim();
      if (!text) continue;
      // A "sentence" with no letters or digits (a lone emoji, "...") rides with the one before.
      const last = sentences.at(-1);
      if (!/[\p{L}\p{N}]/u.test(text) && last && last.paragraph === index) {
        last.text += ' ' + text;
        continue;
      }
      sentences.push({ text, paragraph: index, weight: speakingWeight(text) });
    }
  });
  return sentences;
}

/** About 22 words (7-9 s of narration) a scene, 3-12 scenes for most stories, MAX_SCENES (20) at most. */
export function autoSceneCount(totalWeight: number, sentences: number): number {
  const wanted = Math.round(totalWeight / 22);
  return Math.max(1, Math.min(sentences, MAX_SCENES, Math.max(3, Math.min(12, wanted)) + Math.max(0, Math.floor((wanted - 12) / 3))));
}

/**
 * Cut the sentences into `count` consecutive groups of similar weight; a paragraph end is a
 * preferred cut, taken when it falls near the ideal place.
 */
export function groupSentences(sentences: Sentence[], count: number): Sentence[][] {
  const n = Math.max(1, Math.min(count, sentences.length));
  const total = sentences.reduce((s, x) => s + x.weight, 0);
  const groups: Sentence[][] = [];
  let current: Sentence[] = [];
  let acc = 0;
  sentences.forEach((sentence, i) => {
    current.push(sentence);
    acc += sentence.weight;
    const left = sentences.length - i - 1;
    const groupsLeft = n - groups.length - 1;
    if (groupsLeft <= 0) return;
    const target = (total * (groups.length + 1)) / n;
    const next = sentences[i + 1];
    const paragraphEnd = next !== undefined && next.paragraph !== sentence.paragraph;
    const nearTarget = acc >= target - (paragraphEnd ? sentence.weight * 0.6 : 0.001);
    if (left === groupsLeft || (left > groupsLeft - 1 && nearTarget && left >= groupsLeft)) {
      groups.push(current);
      current = [];
    }
  });
  if (current.length) groups.push(current);
  return groups;
}
