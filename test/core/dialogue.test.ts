import { describe, expect, it } from 'vitest';
import { splitDialogue, speakersOf } from '../../src/core/dialogue.js';

const who = (text: string, known: string[] = []) => splitDialogue(text, known).map((s) => [s.speaker ?? '-', s.text]);

describe('splitDialogue', () => {
  it('keeps a narration without quotes as one narrator segment', () => {
    expect(splitDialogue('The sun rose over the hill.')).toEqual([{ text: 'The sun rose over the hill.' }]);
  });

  it('gives quotes to the speaker named after or before them (English)', () => {
    expect(who('"Where are you going?" asked Mara. Tom smiled. "Home," Tom said.')).toEqual([
      ['Mara', '"Where are you going?"'],
      ['-', 'asked Mara. Tom smiled.'],
      ['Tom', '"Home,"'],
      ['-', 'Tom said.'],
    ]);
    expect(who('Mara whispered: \u201cQuiet now.\u201d')).toEqual([
      ['-', 'Mara whispered:'],
      ['Mara', '\u201cQuiet now.\u201d'],
    ]);
  });

  it('matches "the fox" to the cast\'s Fox, and leaves pronouns to the narrator', () => {
    expect(who('"Run!" shouted the fox.', ['Fox'])[0]).toEqual(['Fox', '"Run!"']);
    expect(splitDialogue('"Run!" she shouted.')).toEqual([{ text: '"Run!" she shouted.' }]);
  });

  it('finds Spanish, French, German, Italian and Portuguese attributions and quote marks', () => {
    expect(who('\u00abVen aquí\u00bb, dijo Ana.')[0]).toEqual(['Ana', '\u00abVen aquí\u00bb']);
    expect(who('Ana preguntó: \u00ab¿Dónde estás?\u00bb')[1]).toEqual(['Ana', '\u00ab¿Dónde estás?\u00bb']);
    expect(who('\u00ab Bonjour \u00bb, dit Marie.')[0]).toEqual(['Marie', '\u00ab Bonjour \u00bb']);
    expect(who('\u00abQui est là ?\u00bb demanda le loup.', ['Loup'])[0]).toEqual(['Loup', '\u00abQui est là ?\u00bb']);
    expect(who('\u201eKomm her\u201c, sagte Max.')[0]).toEqual(['Max', '\u201eKomm her\u201c']);
    expect(who('Lena fragte: \u201eWarum?\u201c')[1]).toEqual(['Lena', '\u201eWarum?\u201c']);
    expect(who('\u00abAndiamo\u00bb, disse Luca.')[0]).toEqual(['Luca', '\u00abAndiamo\u00bb']);
    expect(who('Giulia chiese: \u00abDove?\u00bb')[1]).toEqual(['Giulia', '\u00abDove?\u00bb']);
    expect(who('"Vamos embora", disse João.')[0]).toEqual(['João', '"Vamos embora"']);
    expect(who('"Onde?" perguntou Maria.')[0]).toEqual(['Maria', '"Onde?"']);
  });

  it('reads Japanese corner quotes', () => {
    expect(splitDialogue('\u300cこんにちは\u300d').map((s) => s.text)).toEqual(['\u300cこんにちは\u300d']);
  });

  it('alternates an unattributed reply in a back-and-forth, else leaves it to the narrator', () => {
    const quoted = (segs: ReturnType<typeof splitDialogue>) => segs.filter((s) => s.speaker).map((s) => [s.speaker, s.text]);
    expect(quoted(splitDialogue('"Are you coming?" asked Mara. "Maybe," said Tom. "Only maybe?" "Yes."'))).toEqual([
      ['Mara', '"Are you coming?"'],
      ['Tom', '"Maybe,"'],
      ['Mara', '"Only maybe?"'],
      ['Tom', '"Yes."'],
    ]);
    // narration between the quotes ends the exchange: the next unattributed quote is the narrator's
    const broken = splitDialogue('"Hi," said Mara. "Hello," said Tom. The wind rose. "Who is there?"');
    expect(broken.at(-1)).toEqual({ text: 'said Tom. The wind rose. "Who is there?"' });
    const ping = splitDialogue('Mara asked: "Coming?" Tom said: "Maybe." "Only maybe?" "Yes."');
    expect(ping.filter((s) => s.text.startsWith('"')).map((s) => s.speaker)).toEqual(['Mara', 'Tom', 'Mara', 'Tom']);
    expect(who('"Hello."')).toEqual([['-', '"Hello."']]);
  });

  it('lists the speakers in order of first appearance', () => {
    const scenes = ['"Hi," said Mara.', '"Hello," said Tom. "Bye," said Mara.'].map((t) => splitDialogue(t));
    expect(speakersOf(scenes)).toEqual(['Mara', 'Tom']);
  });
});
