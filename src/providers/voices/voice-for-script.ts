/**
 * Which espeak-ng voice reads a text: the dominant script decides when the configured voice is
 * the default English one (a Russian story read by an English voice is noise).
 */
const SCRIPTS: { pattern: RegExp; voice: string }[] = [
  { pattern: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, voice: 'ja' },
  { pattern: /\p{Script=Hangul}/gu, voice: 'ko' },
  { pattern: /\p{Script=Han}/gu, voice: 'cmn' },
  { pattern: /\p{Script=Arabic}/gu, voice: 'ar' },
  { pattern: /\p{Script=Cyrillic}/gu, voice: 'ru' },
  { pattern: /\p{Script=Greek}/gu, voice: 'el' },
  { pattern: /\p{Script=Hebrew}/gu, voice: 'he' },
  { pattern: /\p{Script=Devanagari}/gu, voice: 'hi' },
  { pattern: /\p{Script=Thai}/gu, voice: 'th' },
];

export function voiceForText(text: string, fallback: string): string {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return fallback;
  // Kana means Japanese even when most characters are Han.
  const kana = (text.match(SCRIPTS[0]!.pattern) ?? []).length;
  if (kana > 0 && kana / letters > 0.1) return 'ja';
  let best: { voice: string; count: number } | undefined;
  for (const { pattern, voice } of SCRIPTS.slice(1)) {
    const count = (text.match(pattern) ?? []).length;
    if (count > (best?.count ?? 0)) best = { voice, count };
  }
  return best && best.count / letters > 0.4 ? best.voice : fallback;
}
