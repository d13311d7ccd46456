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
      offline: false,
    });
  });

  it.each([
    ['10MB', 10_000_000],
    ['10MiB', 10 * 1024 * 1024],
    ['8 mb', 8_000_000],
    ['1.5GB', 1_500_000_000],
    ['500KiB', undefined],
    ['2500000', 2_500_000],
  ])('--max-bytes %s', (value, bytes) => {
    const parse = () => parseStoryArgs(['--in', 'x', '--out', 'a.mp4', '--max-bytes', value]);
    if (bytes === undefined) expect(parse).toThrow(/--max-bytes must be a size from 1 MB \(1,000,000 bytes\)/);
    else expect(parse().maxBytes).toBe(bytes);
  });

  it('a negative number is judged as a number, not "argument is ambiguous"', () => {
    expect(() => parseStoryArgs(['--in', 'x', '--out', 'a.mp4', '--scenes', '-1'])).toThrow(
      '--scenes must be a whole number from 1 to 20 (got "-1")',
    );
    expect(() => parseStoryArgs(['--in', 'x', '--out', 'a.mp4', '--seed', '-5'])).toThrow(/--seed must be a whole number/);
  });

  it.each([
    [['--out', 'a.mp4'], /--in is required/],
    [['--in', 'x'], /--out is required/],
    [['--in', 'x', '--out', 'a.mp4', '--aspect', '4:3'], /--aspect must be one of 9:16, 16:9, 1:1/],
    [['--in', 'x', '--out', 'a.mp4', '--scenes', '21'], /--scenes must be a whole number from 1 to 20/],
    [['--in', 'x', '--out', 'a.mp4', '--scenes', '3.5'], /--scenes must be a whole number/],
    [['--in', 'x', '--out', 'a.mp4', '--max-bytes', '10'], /--max-bytes must be a size from 1 MB/],
    [['--in', 'x', '--out', 'a.mp4', '--max-bytes', '10 parsecs'], /--max-bytes must be a size/],
    [['--in', 'x', '--out', 'a.mp4', '--style', 'vaporwave'], /--style must be one of/],
    [['--in', 'x', '--out', 'a.mp4', '--bogus'], /Unknown option/],
    [['--in', 'x', '--out', 'a.mp4', '--voice-model', 'tts 1; rm'], /--voice-model must be a model id/],
  ])('refuses %j with a clear line', (argv, message) => {
    expect(() => parseStoryArgs(argv)).toThrow(UsageError);
    expect(() => parseStoryArgs(argv)).toThrow(message);
  });
});
