import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/providers/writers/split-story.js';
import { LocalSceneWriter } from '../../src/providers/writers/local.js';

const texts = (story: string) => splitSentences(story).map((s) => s.text);

describe('splitSentences in every script', () => {
  it('cuts at the full stops of CJK, Arabic, Urdu, Devanagari and Ethiopic', () => {
    expect(texts('从前有一只狐狸。它找到了一盏灯笼！森林亮了')).toEqual(['从前有一只狐狸。', '它找到了一盏灯笼！', '森林亮了']);
    expect(texts('灯台守は階段を上った。海は静かだった？はい')).toEqual(['灯台守は階段を上った。', '海は静かだった？', 'はい']);
    expect(texts('كان يا ما كان، ثعلب صغير. وجد فانوسا في الثلج؟ نعم!')).toEqual([
      'كان يا ما كان، ثعلب صغير.',
      'وجد فانوسا في الثلج؟',
      'نعم!',
    ]);
    expect(texts('ایک لومڑی تھی۔ اسے لالٹین ملی۔')).toEqual(['ایک لومڑی تھی۔', 'اسے لالٹین ملی۔']);
    expect(texts('एक लोमड़ी थी। उसे लालटेन मिली॥ अंत')).toEqual(['एक लोमड़ी थी।', 'उसे लालटेन मिली॥', 'अंत']);
    expect(texts('ሰላም። እንዴት ነህ፧')).toEqual(['ሰላም።', 'እንዴት ነህ፧']);
  });

  it('cuts Thai at spaces and Greek at its question mark', () => {
    expect(texts('กาลครั้งหนึ่งมีสุนัขจิ้งจอก มันพบตะเกียงในหิมะ')).toEqual(['กาลครั้งหนึ่งมีสุนัขจิ้งจอก', 'มันพบตะเกียงในหิมะ']);
    expect(texts('Καλημέρα; Ναι.')).toEqual(['Καλημέρα;', 'Ναι.']);
  });

  it('keeps abbreviations, initials and quoted exclamations inside their sentence', () => {
    expect(texts('Mr. Smith met Dr. Jones. J. R. R. Tolkien wrote it. No. «Bonjour !» dit-il.')).toEqual([
      'Mr. Smith met Dr. Jones.',
      'J. R. R. Tolkien wrote it.',
      'No.',
      '«Bonjour !» dit-il.',
    ]);
  });

  it('never merges a title line into the first sentence; hard-wrapped prose still joins', () => {
    expect(texts('The Lighthouse\nThe keeper climbed the stairs. He lit the lamp.')).toEqual([
      'The Lighthouse',
      'The keeper climbed the stairs.',
      'He lit the lamp.',
    ]);
    expect(texts('灯台守\n灯台守は階段を上った。')).toEqual(['灯台守', '灯台守は階段を上った。']);
    expect(texts('The keeper climbed the long and winding stairs of the old\nlighthouse every night.')).toEqual([
      'The keeper climbed the long and winding stairs of the old lighthouse every night.',
    ]);
  });

  it('the local writer narrates the title on its own, then the story', async () => {
    const script = await new LocalSceneWriter().write({
      story: 'El faro\nEl guardián subió la escalera. Encendió la lámpara.',
      scenes: 1,
      aspect: '1:1',
    });
    expect(script.title).toBe('El faro');
    expect(script.scenes[0]!.narration).toBe('El faro El guardián subió la escalera. Encendió la lámpara.');
  });
});
