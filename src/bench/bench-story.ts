/** The benchmark's story: n paragraphs of about 16 words, so each scene speaks for about 6 s. */
const LINES = [
  'The keeper climbed the tower at dusk, counting every step, and lit the great lamp for the ships.',
  'Far out on the water a small boat rocked in the swell, its sailors tired and cold and quiet.',
  'The beam swept across the waves like a silver road, steady and patient through the falling rain.',
  'A gull landed on the railing and watched the light turn, its feathers bright against the storm.',
  'Down in the village the baker woke early and saw the glow above the rocks, and smiled.',
  'The boat found the channel between the reefs, following the light that had never once failed.',
  'Morning came grey and gentle, and the harbour filled with the sound of ropes and voices.',
  'The sailors walked up the hill with bread and salt fish, a gift for the keeper of the light.',
  'She opened the door, surprised, and the whole village seemed to be standing on her steps.',
  'That night the lamp burned brighter than ever, and nobody on the coast felt lost at sea.',
];

export function benchStory(scenes: number): string {
  return Array.from({ length: scenes }, (_, i) => LINES[i % LINES.length]).join('\n\n');
}
