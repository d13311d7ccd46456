/**
 * Narration as a voice should say it: emoji and other pictographs taken out (a voice reads 🦊 as
 * "fox face" and 🇯🇵 as "Japan"), the captions keep them. Cut by grapheme cluster, so a ZWJ family
 * (👨‍👩‍👧), a flag (two regional indicators, or a subdivision's tag sequence), a keycap (1️⃣) and
 * a skin-toned hand go whole, while the zero-width joiners and non-joiners of Persian or Indic
 * words, which are not next to a pictograph, stay.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A cluster that is drawn as a pictograph: an emoji, a flag, a keycap, a lone skin tone or tag. */
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u20E3|[\u{E0020}-\u{E007F}]/u;
/** Emoji and text presentation selectors left on their own (after a plain letter or a space). */
const PRESENTATION = /[\uFE0E\uFE0F]/gu;

/** Whether a text holds any pictograph (emoji, flag, keycap). */
export function hasPictograph(text: string): boolean {
  return PICTOGRAPHIC.test(text);
}

/** The text without its pictographs, with the spaces they leave doubled made single; trimmed. */
export function speakableText(text: string): string {
  if (!PICTOGRAPHIC.test(text) && !/[\uFE0E\uFE0F]/u.test(text)) return text.trim();
  let out = '';
  let dropped = false;
  for (const { segment } of graphemes.segment(text)) {
    if (PICTOGRAPHIC.test(segment)) {
      dropped = true;
      continue;
    }
    const kept = segment.replace(PRESENTATION, '');
    // A space after a dropped emoji, when a space (or nothing) is already before it, is not needed.
    if (dropped && /^[ \t]+$/u.test(kept) && (out === '' || /[ \t\n]$/u.test(out))) continue;
    // "home 🇯🇵." says "home.", not "home ." (a space left before the stop).
    if (dropped && /^[.,!?;:…]/u.test(kept)) out = out.replace(/[ \t]+$/u, '');
    dropped = false;
    out += kept;
  }
  return out.replace(/[ \t]+$/gmu, '').trim();
}
