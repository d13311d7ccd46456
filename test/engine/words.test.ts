/**
 * The words of a video: what a voice is sent (no emoji), the title line (out of the narration),
 * how captions are cut (never across a sentence end, not on a word that leans on the next, 1-4
 * words, two lines of at most 42 characters) in many languages, and the .srt of the cues.
 */
import { describe, expect, it } from 'vitest';
import { speakableText } from '../../src/providers/voices/speakable-text.js';
import { splitTitleLine } from '../../src/providers/writers/title-line.js';
import { chunkCaptions, captionTextWidth, MAX_LINE_WIDTH } from '../../src/engine/captions.js';
import { endsSentence, leansOnNext } from '../../src/engine/caption-breaks.js';
import { srtLines, toSrt } from '../../src/engine/srt.js';
import { consecutiveStarts, videoCues } from '../../src/engine/video-cues.js';
import { writeScript } from '../../src/engine/write-script.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';
import type { SceneWriter, WriteRequest } from '../../src/providers/types.js';
import { parseSrt } from '../support/parse-srt.js';

const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

describe('speakableText: no pictograph reaches a voice', () => {
  it.each([
    ['The fox 🦊 ran home.', 'The fox ran home.'],
    ['Sparkles ✨✨ everywhere', 'Sparkles everywhere'],
    ['We flew to 🇯🇵.', 'We flew to.'],
    ['Scotland 🏴󠁧󠁢󠁳󠁣󠁴󠁿 and Wales', 'Scotland and Wales'],
    ['Press 1️⃣ now', 'Press now'],
    ['A family 👨‍👩‍👧 waved 👋🏽', 'A family waved'],
    ['Love ❤️ and ♥︎ hearts', 'Love and hearts'],
  ])('%s', (text, spoken) => {
    expect(speakableText(text)).toBe(spoken);
    expect(speakableText(text)).not.toMatch(PICTOGRAPH);
    expect(speakableText(text)).not.toMatch(/[\uFE0F\uFE0E\u200D]/u);
  });

  it('keeps the joiners Persian and Indic words need, and every script', () => {
    for (const text of ['می‌خواهم بروم', 'क्‍ष', 'こんにちは、世界。', 'Привет, мир!', 'שלום עולם']) expect(speakableText(text)).toBe(text);
  });
});

describe('splitTitleLine', () => {
  it('takes a short first line without a final stop, followed by a blank line', () => {
    expect(splitTitleLine("The Clockmaker's Fox\n\nOld Henrike kept the clocks.")).toEqual({
      title: "The Clockmaker's Fox",
      body: 'Old Henrike kept the clocks.',
    });
    expect(splitTitleLine('# Point\n\nEvery night for forty years...').title).toBe('Point');
    expect(splitTitleLine('狐の灯り\n\n昔々、狐がいました。').title).toBe('狐の灯り');
    expect(splitTitleLine('الثعلب والمصباح\n\nكان الثعلب يعيش في الغابة.').title).toBe('الثعلب والمصباح');
  });

  it('leaves a story without a title as it is', () => {
    for (const story of [
      'The fox ran.\n\nIt was late.', // a sentence, not a title
      'The fox ran home\nand slept.', // no blank line
      'Just a title', // nothing after it
      'A very long first line that goes on and on with many words in it\n\nThen more.', // too long
      'Wait,\n\nthen go.',
    ])
      expect(splitTitleLine(story)).toEqual({ body: story });
  });

  it('every writer gets the story without its title; the script keeps it as a title card', async () => {
    const seen: string[] = [];
    const local = new LocalSceneWriter();
    const recording: SceneWriter = {
      name: 'recording',
      write: (req: WriteRequest) => {
        seen.push(req.story);
        return local.write(req);
      },
    };
    const req = { story: "The Clockmaker's Fox\n\nOld Henrike kept the clocks. The fox watched.", aspect: '9:16' as const };
    const script = await writeScript(recording, local, req);
    expect(seen).toEqual(['Old Henrike kept the clocks. The fox watched.']);
    expect(script).toMatchObject({ title: "The Clockmaker's Fox", titleCard: "The Clockmaker's Fox" });
    expect(script.scenes.map((s) => s.narration).join(' ')).not.toContain('Clockmaker');
    // Without a title line: no title card, the title is the writer's
    const plain = await writeScript(recording, local, { ...req, story: 'Old Henrike kept the clocks.' });
    expect(plain.titleCard).toBeUndefined();
  });
});

/** Each language: two or more sentences, with leaning words where a naive cut would end a cue. */
const STORIES: [string, string][] = [
  [
    'en',
    'Old Henrike kept the lamp burning for the whole of the winter. She asked permission. She lit the lamp and waited by the door of the mill.',
  ],
  ['es', 'El zorro encontró una linterna en la nieve y la llevó a la casa de su madre. Después durmió junto al fuego de la cocina.'],
  ['fr', 'Le renard a trouvé une lanterne dans la neige et il la porta vers la maison de sa mère. Puis il dormit près du feu.'],
  ['de', 'Der Fuchs fand eine Laterne in dem Schnee und trug sie zu dem Haus seiner Mutter. Dann schlief er an dem Feuer.'],
  ['it', 'La volpe trovò una lanterna nella neve e la portò alla casa della sua madre. Poi dormì vicino al fuoco.'],
  ['pt', 'A raposa encontrou uma lanterna na neve e levou a luz para a casa da sua mãe. Depois dormiu perto do fogo.'],
  ['nl', 'De vos vond een lantaarn in de sneeuw en droeg hem naar het huis van zijn moeder. Toen sliep hij bij het vuur.'],
  ['pl', 'Lis znalazł latarnię w śniegu i zaniósł ją do domu swojej matki. Potem spał przy ogniu w kuchni.'],
  ['tr', 'Bir gün tilki ve kedi ormanda bir fener buldu ve onu eve götürdü. Sonra ateşin yanında uyudular.'],
  ['ru', 'Лиса нашла фонарь в снегу и отнесла его в дом своей матери. Потом она спала у огня на кухне.'],
  ['vi', 'Con cáo tìm thấy một chiếc đèn trong tuyết và mang nó về nhà của mẹ. Sau đó nó ngủ bên bếp lửa.'],
  ['id', 'Rubah itu menemukan sebuah lentera di salju dan membawanya ke rumah dari ibunya. Lalu dia tidur di dekat api.'],
  ['ar', 'كان الثعلب يعيش في الغابة مع أمه. وفي يوم من الأيام وجد مصباحا في الثلج. ثم عاد إلى البيت.'],
  ['ja', '昔々、ある村に小さな狐が住んでいました。狐は毎晩、森の中で光る石を探していました。'],
  ['zh', '从前有一只小狐狸住在森林里。它每天晚上都在寻找会发光的石头。'],
];

/** Words of a narration with the voice's kind of timings: one per word, evenly spread. */
const timed = (text: string) =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((word, i) => ({ word, start: i * 0.4, end: i * 0.4 + 0.35 }));

describe('caption chunks', () => {
  describe.each(STORIES)('%s', (language, story) => {
    const sentences = [...new Intl.Segmenter(language, { granularity: 'sentence' }).segment(story)].map((s) => s.segment.trim());
    for (const [how, words] of [
      ['estimated', undefined],
      ['word-timed', /\s/.test(story) ? timed(story) : undefined],
    ] as const) {
      it(`${how}: never across a sentence end, 1-4 words, at most two lines of 42 characters, all the text in order`, () => {
        const chunks = chunkCaptions(story, 20, words ? [...words] : undefined, language);
        expect(chunks.map((c) => c.text).join(/\s/.test(story) ? ' ' : '')).toBe(story);
        // Each chunk lies inside one sentence
        const spans = sentences.map((text) => [story.indexOf(text), story.indexOf(text) + text.length] as const);
        let at = 0;
        for (const chunk of chunks) {
          const pos = story.indexOf(chunk.text, at);
          expect(pos).toBeGreaterThanOrEqual(0);
          const [, sentenceEnd] = spans.find(([from, to]) => from <= pos && pos < to)!;
          expect(pos + chunk.text.length, `"${chunk.text}" runs past a sentence end`).toBeLessThanOrEqual(sentenceEnd);
          at = pos + chunk.text.length;
          if (/\s/.test(story)) expect(chunk.text.split(/\s+/).length).toBeLessThanOrEqual(4);
          expect(captionTextWidth(chunk.text)).toBeLessThanOrEqual(2 * MAX_LINE_WIDTH);
          for (const line of srtLines(chunk.text)) expect([...line].length).toBeLessThanOrEqual(42);
          expect(srtLines(chunk.text).length).toBeLessThanOrEqual(2);
        }
      });
    }

    it('no chunk ends on a word that leans on the next, unless the chunk is that word alone', () => {
      for (const chunk of chunkCaptions(story, 20, undefined, language)) {
        const words = chunk.text.split(/\s+/);
        if (words.length > 1) expect(leansOnNext(words.at(-1)!, language), `"${chunk.text}"`).toBe(false);
      }
    });
  });

  it("the issue's cases: no 'permission. She lit', no chunk ending on 'the', 'de' or 've'", () => {
    const en = chunkCaptions('Old Henrike asked permission. She lit the lamp and waited by the door of the mill.', 10, undefined, 'en');
    expect(en.map((c) => c.text)).not.toContain('permission. She lit the');
    expect(en.some((c) => /permission\. \S/.test(c.text))).toBe(false);
    for (const c of en) expect(c.text).not.toMatch(/ (the|of|by|and)$/);
    const es = chunkCaptions('La casa de la abuela estaba al final del camino de piedra.', 10, undefined, 'es');
    for (const c of es) expect(c.text).not.toMatch(/ (de|la|del|al)$/);
    const tr = chunkCaptions('Tilki ve kedi ve köpek ve kuş ormanda bir fener buldu.', 10, undefined, 'tr');
    for (const c of tr) expect(c.text).not.toMatch(/ (ve|bir)$/);
  });

  it('a sentence of five words is cut 3 + 2 (or 2 + 3), never 4 + 1', () => {
    const chunks = chunkCaptions('She lit the old lamp.', 5, undefined, 'en');
    expect(chunks.map((c) => c.text)).toEqual(['She lit', 'the old lamp.']);
  });

  it('never three lines: long words that each take most of a portrait line are not put three together', () => {
    const chunks = chunkCaptions('Extraordinary marvellous wonderful adventures.', 4, undefined, 'en').map((c) => c.text);
    expect(chunks).toEqual(['Extraordinary marvellous', 'wonderful adventures.']);
  });

  it('an abbreviation does not end a sentence (and leans on the name)', () => {
    expect(endsSentence('Mr.')).toBe(false);
    expect(endsSentence('door.')).toBe(true);
    const chunks = chunkCaptions('Then Mr. Smith opened the door.', 5, undefined, 'en');
    expect(chunks.some((c) => c.text.endsWith('Mr.'))).toBe(false);
  });

  it('word timings from a voice sent no emoji: the captions show the narration with its emoji and punctuation', () => {
    const narration = 'The fox 🦊 found a "lantern" in the snow ✨. It glowed.';
    const spoken = speakableText(narration);
    const words = spoken.split(' ').map((word, i) => ({ word: word.replace(/[."]/g, ''), start: i * 0.5, end: i * 0.5 + 0.4 }));
    const chunks = chunkCaptions(narration, 6, words, 'en');
    expect(chunks.map((c) => c.text).join(' ')).toBe(narration.replace(' ✨.', ' ✨.'));
    expect(chunks.flatMap((c) => c.words!.map((w) => w.text))).toContain('fox 🦊');
    expect(chunks.some((c) => c.text.includes('snow ✨.') && c.text.includes('It'))).toBe(false);
  });

  it('Japanese particles and verb endings stay with their word', () => {
    const chunks = chunkCaptions('狐は毎晩、森の中で光る石を探していました。', 5, undefined, 'ja').map((c) => c.text);
    expect(chunks.some((c) => /^[はがをにでとのも]/u.test(c))).toBe(false);
    expect(chunks.at(-1)).toMatch(/探していました。$/u);
  });
});

describe('the .srt beside the video', () => {
  it('has the cues of every scene at the scene start, and parses back to them', () => {
    const scenes = [
      { narration: 'The fox 🦊 found a lantern in the snow. It glowed.', narrationSeconds: 4 },
      { narration: 'She carried it home to the mill.', narrationSeconds: 3 },
    ];
    const starts = consecutiveStarts([4.4, 3.4]);
    const cues = videoCues(
      scenes.map((s, i) => ({ ...s, start: starts[i]!, words: i === 0 ? undefined : timed(s.narration) })),
      'en',
    );
    const parsed = parseSrt(toSrt(cues));
    expect(parsed.map((c) => c.text)).toEqual(cues.map((c) => c.text));
    parsed.forEach((c, i) => {
      expect(c.start).toBeCloseTo(cues[i]!.start, 3);
      expect(c.end).toBeCloseTo(cues[i]!.end, 3);
    });
    const second = cues.findIndex((c) => c.text.startsWith('She'));
    expect(cues[second]!.start).toBeCloseTo(4.4, 3);
    expect(cues[second]!.words![0]!.start).toBeCloseTo(4.4, 3);
    expect(parsed[0]!.text).toContain('🦊');
    expect(toSrt(cues)).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\n/);
  });

  it('breaks a long cue into two lines of at most 42 characters', () => {
    const lines = srtLines('Extraordinarily wonderful marvellous adventures of the brave little fox');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
  });
});
