/** `npm run story` arguments -> validated options, or one clear line of what is wrong. */
import { parseArgs } from 'node:util';
import { ASPECTS, MAX_SCENES, MAX_STORY_CHARS, type Aspect } from '../core/story.js';
import { isStyleName, STYLE_NAMES } from '../engine/styles.js';

export interface StoryArgs {
  input: string;
  out: string;
  aspect: Aspect;
  scenes?: number;
  maxBytes?: number;
  style?: string;
  voice?: string;
  voiceModel?: string;
  seed?: number;
  json: boolean;
}

export const USAGE =
  'usage: npm run story -- --in story.txt|- --out video.mp4 [--aspect 9:16|16:9|1:1] [--scenes N] [--max-bytes N] [--style NAME] [--voice ID] [--voice-model ID] [--seed N] [--json]';

export const HELP = `
  --in FILE | -       the story: a text file, or - for standard input (up to ${MAX_STORY_CHARS.toLocaleString('en-US')} characters)
  --out FILE.mp4      where the video goes (written only when complete)
  --aspect RATIO      9:16 (default, phone), 16:9 or 1:1
  --scenes N          number of scenes, 1-${MAX_SCENES} (default: from the story's length)
  --max-bytes N       size limit of the MP4 (default 10 MiB, Discord's upload limit)
  --style NAME        ${STYLE_NAMES.join(', ')}
  --voice ID          a voice of the voice provider (Inworld voice name, or an espeak-ng voice)
  --voice-model ID    a model of the voice provider for this video (Inworld: inworld-tts-1-max)
  --seed N            base seed for the images (scene i uses N + i)
  --json              print one JSON object on stdout at the end (use npm run -s, so npm prints nothing else)

Exit codes: 0 done, 1 the render failed, 2 bad input or configuration, 130 interrupted.
Providers and limits come from .env: see .env.example and README.md.`;

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

export function parseStoryArgs(argv: string[]): StoryArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        in: { type: 'string' },
        out: { type: 'string' },
        aspect: { type: 'string', default: '9:16' },
        scenes: { type: 'string' },
        'max-bytes': { type: 'string' },
        style: { type: 'string' },
        voice: { type: 'string' },
        'voice-model': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  if (!values.in) throw new UsageError('--in is required (a file, or - for standard input)');
  if (!values.out) throw new UsageError('--out is required (the MP4 to write)');
  if (!values.out.toLowerCase().endsWith('.mp4')) throw new UsageError(`--out must end in .mp4 (got "${values.out}")`);
  const aspect = values.aspect as Aspect;
  if (!ASPECTS.includes(aspect)) throw new UsageError(`--aspect must be one of ${ASPECTS.join(', ')} (got "${values.aspect}")`);
  if (values.style !== undefined && !isStyleName(values.style)) {
    throw new UsageError(`--style must be one of ${STYLE_NAMES.join(', ')} (got "${values.style}")`);
  }
  const voiceModel = values['voice-model'];
  if (voiceModel !== undefined && !MODEL_ID.test(voiceModel)) {
    throw new UsageError(`--voice-model must be a model id like inworld-tts-1-max: letters, digits, dots, dashes (got "${voiceModel}")`);
  }
  return {
    input: values.in,
    out: values.out,
    aspect,
    scenes: wholeNumber('scenes', values.scenes, 1, MAX_SCENES),
    maxBytes: wholeNumber('max-bytes', values['max-bytes'], 1_000_000, 2 ** 31),
    style: values.style,
    voice: values.voice,
    voiceModel,
    seed: wholeNumber('seed', values.seed, 0, 2 ** 31),
    json: values.json ?? false,
  };
}
