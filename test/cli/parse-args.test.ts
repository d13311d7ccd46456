import { describe, expect, it } from 'vitest';
import { parseStoryArgs, UsageError } from '../../src/cli/parse-args.js';

describe('parseStoryArgs', () => {
  it('reads every option', () => {
    expect(
      parseStoryArgs([
        '--in',
        '-',
        '--out',
        'a.mp4',
        '--aspect',
        '1:1',
        '--scenes',
        '4',
        '--max-bytes',
        '8000000',
        '--style',
        'noir',
        '--voice-model',
        'inworld-tts-1-max',
        '--json',
      ]),
    ).toEqual({
      input: '-',
      out: 'a.mp4',
      aspect: '1:1',
      scenes: 4,
      maxBytes: 8_000_000,
      style: 'noir',
      voice: undefined,
      voiceModel: 'inworld-tts-1-max',
      seed: undefined,
      json: true,
    });
  });

  it.each([
    [['--out', 'a.mp4'], /--in is required/],
    [['--in', 'x'], /--out is required/],
    [['--in', 'x', '--out', 'a.mov'], /must end in .mp4/],
    [['--in', 'x', '--out', 'a.mp4', '--aspect', '4:3'], /--aspect must be one of 9:16, 16:9, 1:1/],
    [['--in', 'x', '--out', 'a.mp4', '--scenes', '21'], /--scenes must be a whole number from 1 to 20/],
    [['--in', 'x', '--out', 'a.mp4', '--scenes', '3.5'], /--scenes must be a whole number/],
    [['--in', 'x', '--out', 'a.mp4', '--max-bytes', '10'], /--max-bytes must be a whole number/],
    [['--in', 'x', '--out', 'a.mp4', '--style', 'vaporwave'], /--style must be one of/],
    [['--in', 'x', '--out', 'a.mp4', '--bogus'], /Unknown option/],
    [['--in', 'x', '--out', 'a.mp4', '--voice-model', 'tts 1; rm'], /--voice-model must be a model id/],
  ])('refuses %j with a clear line', (argv, message) => {
    expect(() => parseStoryArgs(argv)).toThrow(UsageError);
    expect(() => parseStoryArgs(argv)).toThrow(message);
  });
});
