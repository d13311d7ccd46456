/** A SubRip file read back strictly: numbered cues in order, well-formed times, text lines. */
export interface SrtCue {
  index: number;
  start: number;
  end: number;
  text: string;
}

const TIME = /^(\d{2}):(\d{2}):(\d{2}),(\d{3}) --> (\d{2}):(\d{2}):(\d{2}),(\d{3})$/;

export function parseSrt(srt: string): SrtCue[] {
  const blocks = srt
    .replace(/\r\n/g, '\n')
    .trim()
    .split(/\n{2,}/);
  return blocks.map((block, i) => {
    const [index, times, ...text] = block.split('\n');
    if (Number(index) !== i + 1) throw new Error(`cue ${i + 1} is numbered ${index}`);
    const m = TIME.exec(times ?? '');
    if (!m) throw new Error(`cue ${i + 1}: bad time line "${times}"`);
    const t = (k: number) => Number(m[k]) * 3600 + Number(m[k + 1]) * 60 + Number(m[k + 2]) + Number(m[k + 3]) / 1000;
    if (text.length === 0 || text.some((l) => !l.trim())) throw new Error(`cue ${i + 1} has no text`);
    return { index: i + 1, start: t(1), end: t(5), text: text.join('\n') };
  });
}
