/** `npm run story` arguments -> validated options, or one clear line of what is wrong. */
import { parseArgs } from 'node:util';
import {
  ASPECTS,
  CAPTION_MODES,
  CAPTION_POSITIONS,
  MAX_SCENES,
  MAX_STORY_CHARS,
  type Aspect,
  type CaptionMode,
  type CaptionPosition,
} from '../core/story.js';
import { normalizeLanguage } from '../core/language.js';
import { isStyleName, STYLE_NAMES } from '../core/image-prompt.js';
import { looksLikeMusicFile, MUSIC_CHOICES } from '../media/music-recipes.js';

export interface StoryArgs {
  /** The story file, or - for standard input; '' with --redo (the story comes from --from). */
  input: string;
  out: string;
  aspect: Aspect;
  scenes?: number;
  maxBytes?: number;
  style?: string;
  voice?: string;
  voiceModel?: string;
  seed?: number;
  /** BCP-47 primary subtag; undefined detects it from the story. */
  language?: string;
  captions?: CaptionMode;
  /** Where captions sit; undefined is the safe bottom. */
  captionsPosition?: CaptionPosition;
  /** A mood, none, or an audio file (checked to exist by the caller); undefined uses DEFAULT_MUSIC. */
  music?: string;
  /** --voices: each character its own voice (default), or narrator-only. */
  voices?: 'characters' | 'narrator-only';
  json: boolean;
  /** --offline: local images, espeak and the local writer, whatever .env says; nothing leaves the machine. */
  offline: boolean;
  /** --redo N --from VIDEO: make scene N (1-based) again; everything else as VIDEO was made. */
  redo?: { scene: number; from: string };
}

export const USAGE =
  'usage: npm run story -- --in story.txt|- --out video.mp4 [--aspect 9:16|16:9|1:1] [--scenes N] [--max-bytes SIZE] [--style NAME] [--voice ID] [--voice-model ID] [--seed N] [--language CODE] [--captions karaoke|plain|none] [--captions-position bottom|middle|top] [--music NAME|FILE|none] [--voices characters|narrator-only] [--offline] [--json]\n       npm run story -- --redo SCENE --from earlier.mp4 --out video.mp4 [--json]';

export const HELP = `
  --in FILE | -       the story: a text file, or - for standard input (up to ${MAX_STORY_CHARS.toLocaleString('en-US')} characters)
  --out FILE.mp4      where the video goes (checked before any work, written only when complete; missing
                      folders are made). A folder (one that exists, or a path ending in /) gets the
                      video inside it, named after the story file (story.mp4 from standard input)
  --aspect RATIO      9:16 (default, phone), 16:9 or 1:1
  --scenes N          number of scenes, 1-${MAX_SCENES} (default: from the story's length)
  --max-bytes SIZE    size limit of the MP4: bytes, or with a unit: 8MB, 10MiB, 500KB, 1.5GB
                      (at least 1 MB = 1,000,000 bytes; default 10 MiB, Discord's upload limit)
  --style NAME        ${STYLE_NAMES.join(', ')}
  --voice ID          a voice of the voice provider (Inworld voice name, or an espeak-ng voice, checked
                      against its list), or narrator, warm, deep, bright, storyteller
  --voice-model ID    a model of the voice provider for this video (Inworld: inworld-tts-1-max)
  --seed N            base seed for the images (scene i uses N + i)
  --language CODE     the story's language, e.g. es, ja, ar, pt-BR (default: detected from the text)
  --captions MODE     karaoke (default: the spoken word lit, when the voice times its words), plain or none
  --captions-position bottom (default: above the apps' buttons and description), middle or top
  --music NAME|FILE   the music bed under the narration: ${MUSIC_CHOICES.join(', ')} (default: DEFAULT_MUSIC, calm),
                      or an audio file of yours (any format ffmpeg reads; looped or cut to the video)
  --voices MODE       characters (default: quoted dialogue read by its speaker's voice, one per character)
                      or narrator-only
  --redo SCENE        make scene SCENE (1 = first) again with a new image; needs --from, no --in
  --from VIDEO.mp4    the earlier video to redo (its VIDEO.job.json, written beside every video,
                      holds the story, options, scenes and seeds; other images, the narration and
                      the other scenes' clips come from the cache in DATA_DIR)
  --offline           no service at all, whatever .env says: local scene cards, espeak-ng, the local
                      writer (the story's text stays on this machine; what npm run demo uses)
  --json              print one JSON object on stdout at the end (use npm run -s, so npm prints nothing else)

Exit codes: 0 done, 1 the render failed, 2 bad input or configuration, 130 interrupted.
Providers and limits come from .env: see .env.example and README.md.`;

const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Options whose value is a number: `--scenes -1` is read as the value -1 (parseArgs takes it for an option). */
const NUMBER_OPTIONS = new Set(['--scenes', '--max-bytes', '--seed', '--redo']);

/** `--scenes -1` -> `--scenes=-1`, so the value is judged as a number (not "argument is ambiguous"). */
function joinDashedNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (NUMBER_OPTIONS.has(argv[i]!) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]!);
  }
  return out;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
export const MIN_MAX_BYTES = 1_000_000;
const MAX_MAX_BYTES = 2 ** 31;

/** `--max-bytes`: 8000000, 8MB (decimal), 10MiB (binary), 1.5GB; at least 1 MB. */
export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < MIN_MAX_BYTES || bytes > MAX_MAX_BYTES) {
    throw new UsageError(
      `--max-bytes must be a size from 1 MB (1,000,000 bytes) to 2 GiB: bytes, or a number with KB, MB, GB, KiB, MiB or GiB (got "${value}")`,
    );
  }
  return bytes;
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
      args: joinDashedNumbers(argv),
      options: {
        in: { type: 'string' },
        out: { type: 'string' },
        aspect: { type: 'string' },
        scenes: { type: 'string' },
        'max-bytes': { type: 'string' },
        style: { type: 'string' },
        voice: { type: 'string' },
        'voice-model': { type: 'string' },
        seed: { type: 'string' },
        language: { type: 'string' },
        captions: { type: 'string' },
        'captions-position': { type: 'string' },
        music: { type: 'string' },
        voices: { type: 'string' },
        json: { type: 'boolean', default: false },
        offline: { type: 'boolean', default: false },
        redo: { type: 'string' },
        from: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  if (values.from !== undefined && values.redo === undefined)
    throw new UsageError('--from goes with --redo SCENE (the scene to make again)');
  if (values.redo !== undefined) {
    if (!values.from) throw new UsageError('--redo needs --from, the earlier video (its .job.json beside it)');
    // The story, scenes, look and voice are the earlier video's: only which scene changes is new.
    const taken = (['in', 'aspect', 'scenes', 'style', 'voice', 'voice-model', 'seed', 'max-bytes', 'music', 'voices'] as const).filter(
      (k) => values[k] !== undefined,
    );
    if (taken.length) throw new UsageError(`--redo keeps the earlier video's story and options: leave out --${taken.join(', --')}`);
  } else if (!values.in) throw new UsageError('--in is required (a file, or - for standard input)');
  if (!values.out) throw new UsageError('--out is required (the MP4 to write)');
  // (a folder given as --out is told apart by the caller, who can look at the disk: see outputFile)
  const aspect = (values.aspect ?? '9:16') as Aspect;
  if (!ASPECTS.includes(aspect)) throw new UsageError(`--aspect must be one of ${ASPECTS.join(', ')} (got "${values.aspect}")`);
  if (values.style !== undefined && !isStyleName(values.style)) {
    throw new UsageError(`--style must be one of ${STYLE_NAMES.join(', ')} (got "${values.style}")`);
  }
  const voiceModel = values['voice-model'];
  if (voiceModel !== undefined && !MODEL_ID.test(voiceModel)) {
    throw new UsageError(`--voice-model must be a model id like inworld-tts-1-max: letters, digits, dots, dashes (got "${voiceModel}")`);
  }
  const language = values.language === undefined ? undefined : normalizeLanguage(values.language);
  if (values.language !== undefined && !language) {
    throw new UsageError(`--language must be a language code like en, es, ja, ar or pt-BR (got "${values.language}")`);
  }
  const captions = values.captions as CaptionMode | undefined;
  if (captions !== undefined && !CAPTION_MODES.includes(captions)) {
    throw new UsageError(`--captions must be one of ${CAPTION_MODES.join(', ')} (got "${values.captions}")`);
  }
  const captionsPosition = values['captions-position'] as CaptionPosition | undefined;
  if (captionsPosition !== undefined && !CAPTION_POSITIONS.includes(captionsPosition)) {
    throw new UsageError(`--captions-position must be one of ${CAPTION_POSITIONS.join(', ')} (got "${captionsPosition}")`);
  }
  const music = values.music?.trim();
  if (music !== undefined && !(MUSIC_CHOICES as readonly string[]).includes(music) && !looksLikeMusicFile(music)) {
    throw new UsageError(`--music must be one of ${MUSIC_CHOICES.join(', ')}, or an audio file (got "${values.music}")`);
  }
  const voices = values.voices as StoryArgs['voices'];
  if (voices !== undefined && voices !== 'characters' && voices !== 'narrator-only') {
    throw new UsageError(`--voices must be characters or narrator-only (got "${values.voices}")`);
  }
  const redo = values.redo === undefined ? undefined : { scene: wholeNumber('redo', values.redo, 1, MAX_SCENES)!, from: values.from! };
  return {
    input: values.in ?? '',
    out: values.out,
    aspect,
    scenes: wholeNumber('scenes', values.scenes, 1, MAX_SCENES),
    maxBytes: parseSize(values['max-bytes']),
    style: values.style,
    voice: values.voice,
    voiceModel,
    seed: wholeNumber('seed', values.seed, 0, 2 ** 31),
    language,
    captions,
    ...(captionsPosition ? { captionsPosition } : {}),
    ...(music !== undefined ? { music } : {}),
    ...(voices ? { voices } : {}),
    json: values.json ?? false,
    offline: values.offline ?? false,
    ...(redo ? { redo } : {}),
  };
}
