/** The Subtitles button's cues: kept ones first; a job from before cues were kept gets them rebuilt from its script. */
import { describe, expect, it } from 'vitest';
import { jobCues, subtitleFileName } from '../../src/bot/send-subtitles.js';
import type { JobRecord } from '../../src/store/job-record.js';

const script = {
  title: 'Fox',
  writer: 'local',
  scenes: [
    { index: 0, narration: 'The fox found a lantern.', imagePrompt: 'x' },
    { index: 1, narration: 'It carried the light home.', imagePrompt: 'y' },
  ],
};
const sceneResults = [
  { seconds: 2.5, narrationSeconds: 2 },
  { seconds: 3, narrationSeconds: 2.6 },
];

describe('jobCues', () => {
  it('uses the cues kept with the result', () => {
    const captions = [{ text: 'Kept', start: 0, end: 1 }];
    expect(jobCues({ script, sceneResults, result: { captions } } as unknown as JobRecord)).toBe(captions);
  });

  it('rebuilds them from the script and scene lengths for an older job', () => {
    const cues = jobCues({ script, sceneResults, result: { language: 'en' } } as unknown as JobRecord)!;
    expect(cues.map((c) => c.text).join(' ')).toBe('The fox found a lantern. It carried the light home.');
    expect(cues.find((c) => c.text.startsWith('It'))!.start).toBeCloseTo(2.5, 5);
    expect(cues.at(-1)!.end).toBeCloseTo(5.1, 5);
  });

  it('has none without a script', () => {
    expect(jobCues({ result: {} } as unknown as JobRecord)).toBeUndefined();
  });
});

it('names the file after the title, in any script', () => {
  expect(subtitleFileName("The Clockmaker's Fox")).toBe('The-Clockmaker-s-Fox.srt');
  expect(subtitleFileName('狐の灯り')).toBe('狐の灯り.srt');
  expect(subtitleFileName('🦊')).toBe('story.srt');
  expect(subtitleFileName(undefined)).toBe('story.srt');
});
