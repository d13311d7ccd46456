import { describe, expect, it } from 'vitest';
import { genderOf, speakerVoices } from '../../src/providers/voices/speaker-voices.js';

describe('speakerVoices', () => {
  it('reads the gender a cast description gives, in several languages', () => {
    expect(genderOf('a young woman in a red coat')).toBe('female');
    expect(genderOf('an old man; he carries a lantern')).toBe('male');
    expect(genderOf('una mujer alta')).toBe('female');
    expect(genderOf('ein alter Mann')).toBe('male');
    expect(genderOf('a small red fox')).toBeUndefined();
    expect(genderOf(undefined)).toBeUndefined();
  });

  it('gives each character its own voice, never the narrator’s, a woman’s or a man’s where the cast says', () => {
    const cast = [{ name: 'Tom', description: 'a boy' }, { name: 'Ana', description: 'a girl' }, { name: 'Fox' }];
    const edge = speakerVoices('edge', 'es', 'es-ES-ElviraNeural', cast);
    expect([...edge.values()]).toEqual(['es-ES-AlvaroNeural', 'es-MX-DaliaNeural', 'es-MX-JorgeNeural']);
    const inworld = speakerVoices('inworld', 'en', 'Ashley', cast);
    expect([...inworld.values()]).toEqual(['Dennis', 'Olivia', 'Timothy']);
    const espeak = speakerVoices('espeak', 'fr', 'fr-fr', cast);
    expect([...espeak.values()]).toEqual(['fr-fr+m3', 'fr-fr+f3', 'fr-fr+f2']);
    for (const [voices, narrator] of [
      [edge, 'es-ES-ElviraNeural'],
      [inworld, 'Ashley'],
      [espeak, 'fr-fr'],
    ] as const) {
      expect(new Set(voices.values()).size).toBe(3);
      expect([...voices.values()]).not.toContain(narrator);
    }
  });

  it('a narrator using a preset voice leaves it to nobody else', () => {
    const voices = speakerVoices('inworld', 'en', 'Olivia', [{ name: 'Mara', description: 'a woman' }]);
    expect(voices.get('Mara')).toBe('Ashley');
  });

  it('a provider without voice tables leaves every line to the narrator', () => {
    expect([...speakerVoices('fake', 'en', undefined, [{ name: 'Mara' }]).values()]).toEqual([undefined]);
  });
});
