/**
 * `npm run story -- --in story.txt --out video.mp4 [...]`: the engine from a command line.
 * Progress goes to stderr (a bar on a terminal), `--json` prints one object on stdout at the end.
 * Exit codes: 0 done, 1 the render failed, 2 bad input or configuration, 130 interrupted.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HELP, parseStoryArgs, USAGE, UsageError } from './parse-args.js';
import { setLogSink } from '../core/log.js';
import { ProgressBar } from './progress-bar.js';
import { renderNotes } from './render-notes.js';
import { loadEnvironment } from '../environment.js';
import { engineFromConfig, settleProviders } from '../engine-from-config.js';
import { checkStoryFitsLimit, cleanStory, decodeStoryBytes, StoryInputError } from '../engine/story-input.js';
import { MAX_STORY_CHARS } from '../core/story.js';
import { languageName } from '../core/language.js';
import { checkOutputPath, OutputPathError } from '../engine/workspace.js';
import { redoScene, type RedoResult } from '../engine/redo-scene.js';
import type { RenderResult } from '../engine/render-story.js';
import { readJobFile, writeJobFile } from './job-file.js';
import { writeSubtitleFile } from './subtitle-file.js';
import { looksLikeMusicFile } from '../media/music-recipes.js';
import { outputFile } from './output-file.js';
import { checkVoice, voiceRefusal } from '../providers/voices/voice-list.js';
import { watchLauncher } from './launcher-watch.js';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'the name is too long',
  ENOTDIR: 'a folder in the path is not a folder',
  ELOOP: 'too many symbolic links',
};

function cannotRead(input: string, error: unknown): StoryInputError {
  const code = (error as NodeJS.ErrnoException).code;
  return new StoryInputError(`Cannot read the story file "${input}": ${(code && READ_ERRORS[code]) ?? code ?? 'unreadable'}.`);
}

/** Four bytes a character at most: anything bigger cannot be a story within the limit. */
const MAX_STORY_BYTES = MAX_STORY_CHARS * 4;
const tooManyBytes = (bytes: number) =>
  new StoryInputError(
    `The story is too long: ${bytes.toLocaleString('en-US')} bytes or more, the limit is ${MAX_STORY_CHARS.toLocaleString('en-US')} characters.`,
  );

/** The first 64 KiB of a file. */
async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw cannotRead(path, error);
  });
  try {
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Refuse bytes with a NUL (as every binary format has early on) as "not text", with decodeStoryBytes' own words. */
function notBinary(bytes: Buffer): void {
  if (bytes.includes(0)) decodeStoryBytes(bytes);
}

/** The story's bytes, from a file or standard input; decoded by decodeStoryBytes (refuses binary). */
async function readStoryBytes(input: string): Promise<Buffer> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > MAX_STORY_BYTES) {
        notBinary(Buffer.concat(chunks));
        throw tooManyBytes(size);
      }
    }
    return Buffer.concat(chunks);
  }
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    throw cannotRead(input, error);
  }
  if (!info.isFile()) throw new StoryInputError(`Cannot read the story file "${input}": it is not a file.`);
  if (info.size > MAX_STORY_BYTES) {
    // a program or a picture is "not text" before it is "too long"
    notBinary(await readHead(input));
    throw new StoryInputError(
      `The story is too long: the file has ${info.size.toLocaleString('en-US')} bytes, the limit is ${MAX_STORY_CHARS.toLocaleString('en-US')} characters.`,
    );
  }
  return readFile(input).catch((error: unknown) => {
    throw cannotRead(input, error);
  });
}

/** A mood or none as given; a file made absolute (the job file keeps it) and checked to be one. */
async function checkMusicFile(music: string): Promise<string> {
  if (!looksLikeMusicFile(music)) return music;
  const path = resolve(music);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size === 0) throw new UsageError(`--music: no audio file at "${music}"`);
  return path;
}

/** `--offline`: no service at all, whatever .env says (what `npm run demo` runs with). */
const OFFLINE_ENV = { IMAGE_PROVIDER: 'local', VOICE_PROVIDER: 'espeak', SCENE_WRITER: 'local' } as const;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n${HELP}\n`);
    return 0;
  }
  let args;
  try {
    args = parseStoryArgs(argv);
  } catch (error) {
    process.stderr.write(`storyreel: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // before .env is read: variables already set win over it
  if (args.offline) Object.assign(process.env, OFFLINE_ENV);
  const { config, ffmpeg } = loadEnvironment();
  // Everything that can be checked on this machine is checked before anything touches the network.
  // A redo takes the story and options of the earlier video, from the job file beside it.
  const earlier = args.redo ? await readJobFile(args.redo.from) : undefined;
  const story = cleanStory(earlier ? earlier.story : decodeStoryBytes(await readStoryBytes(args.input)));
  const maxBytes = earlier?.options.maxBytes ?? args.maxBytes ?? config.limits.defaultMaxBytes;
  namingMaxBytes(() => checkStoryFitsLimit(story, maxBytes));
  const out = await outputFile(args.out, args.input);
  await checkOutputPath(out);
  const music = args.music === undefined ? undefined : await checkMusicFile(args.music);
  if (args.voice !== undefined) {
    // before VOICE_PROVIDER=auto's check has chosen: an Edge voice name is Edge's to judge
    const provider = config.voices.check && /Neural$/.test(args.voice) ? 'edge' : config.voices.provider;
    const check = await checkVoice(provider, args.voice, { espeakPath: config.voices.espeak.path });
    if (!check.ok) throw new UsageError(voiceRefusal(args.voice, check));
  }
  // IMAGE_PROVIDER / VOICE_PROVIDER=auto without a key: the start-up checks ask Pollinations and Edge (never reject).
  const settled = await settleProviders(config);
  const engine = engineFromConfig(settled, ffmpeg);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('Interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // and when whatever started us goes away (kill of `npm run story`): see launcher-watch.ts
  watchLauncher(stop);
  const bar = process.stderr.isTTY ? new ProgressBar((t) => process.stderr.write(t)) : undefined;
  // a log line (a cache warning, a retry) clears the bar's line first instead of running into it
  if (bar) setLogSink((line) => process.stderr.write(`\r\x1b[K${line}\n`));
  if (!args.json)
    process.stderr.write(
      `storyreel: images ${engine.providers.image} (${settled.images.why}), voice ${engine.providers.voice} (${settled.voices.why}), writer ${engine.providers.writer}\n` +
        `storyreel: ${whereTheStoryGoes(engine.providers)}\n`,
    );
  try {
    const options = earlier?.options ?? {
      aspect: args.aspect,
      scenes: args.scenes,
      maxBytes,
      style: args.style,
      voice: args.voice,
      voiceModel: args.voiceModel,
      seed: args.seed,
      language: args.language,
      captions: args.captions,
      captionsPosition: args.captionsPosition,
      ...(music !== undefined ? { music } : {}),
      ...(args.voices ? { voices: args.voices } : {}),
    };
    const request = {
      story,
      out: resolve(out),
      options,
      signal: controller.signal,
      onProgress: (e: Parameters<ProgressBar['handle']>[0]) => bar?.handle(e),
    };
    const result: RenderResult & Partial<Pick<RedoResult, 'redo'>> =
      earlier && args.redo
        ? await redoScene(engine.render, { ...request, script: earlier.script, seeds: earlier.seeds, scene: args.redo.scene - 1 })
        : await engine.render(request);
    // Beside the video: what --redo N --from reads to make one scene again.
    await writeJobFile(result.out, {
      story,
      options,
      script: result.script,
      seeds: result.seeds,
      redo: args.redo ? { from: args.redo.from, scene: args.redo.scene } : undefined,
      timeline: result.timeline,
    });
    // Beside the video: its captions as a subtitle file, for posting it elsewhere.
    const srt = await writeSubtitleFile(result.out, result.captions ?? []);
    const notes = renderNotes({ askedScenes: earlier ? undefined : args.scenes, scenes: result.scenes, writer: result.script.writer });
    const summary = {
      out: result.out,
      title: result.script.title,
      ...(result.script.titleCard ? { titleCard: true } : {}),
      subtitles: srt,
      durationSeconds: Number(result.durationSeconds.toFixed(3)),
      width: result.width,
      height: result.height,
      sizeBytes: result.sizeBytes,
      scenes: result.scenes,
      fallbackScenes: result.fallbackScenes,
      // which asset of which scene (1-based) came from a stand-in, and why (a throttled service, a deadline...)
      standIns: result.sceneResults.flatMap((s) =>
        (['image', 'voice'] as const)
          .filter((kind) => s[kind].fallback)
          .map((kind) => ({ scene: s.index + 1, kind, provider: s[kind].provider, reason: s[kind].error ?? 'the clip could not use it' })),
      ),
      timings: result.timings,
      // What each image was asked for, to see and reuse (same prompt + seed = same FLUX image).
      prompts: result.sceneResults.map((s) => ({ index: s.index, seed: s.seed, prompt: s.prompt })),
      language: result.language,
      providers: result.providers,
      voices: result.voices,
      // each speaking character's voice (empty: the narrator read it all)
      speakers: result.speakers ?? [],
      ...(result.voiceNote ? { voiceNote: result.voiceNote } : {}),
      // what was burned in (karaoke needs word timings; 'mixed' when scenes differ), and per scene where its word timings came from
      captions: burnedOverall(result.sceneResults.map((s) => s.captions)),
      sceneCaptions: result.sceneResults.map((s) => ({ scene: s.index + 1, timings: s.voice.timings, captions: s.captions })),
      // the story's characters: name, description, portrait seed and URL (issue 21)
      ...(result.cast ? { cast: result.cast } : {}),
      ...(result.referencesNote ? { referencesNote: result.referencesNote } : {}),
      notes,
      ...(result.redo ? { redo: { scene: result.redo.scene + 1, oldSeed: result.redo.oldSeed, newSeed: result.redo.newSeed } } : {}),
      // what the video is: scenes' times, moves, lead-ins, the crossfade (its paths were the render's scratch files)
      timeline: result.timeline,
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else
      process.stderr.write(
        (result.redo
          ? `storyreel: scene ${result.redo.scene + 1} made again (seed ${result.redo.oldSeed} -> ${result.redo.newSeed})\n`
          : '') +
          `storyreel: wrote ${result.out} (${result.scenes} scene${result.scenes === 1 ? '' : 's'}, ${result.durationSeconds.toFixed(1)} s, ${result.width}x${result.height}, ${(result.sizeBytes / 1024 / 1024).toFixed(2)} MiB) in ${(result.timings.totalMs / 1000).toFixed(1)} s` +
          (result.fallbackScenes.length ? `; scenes ${result.fallbackScenes.map((i) => i + 1).join(', ')} used a stand-in` : '') +
          '\n',
      );
    if (!args.json) {
      const voices = [...new Set(result.voices)].join(', ');
      process.stderr.write(
        `storyreel: language ${languageName(result.language)} (${result.language}, ${result.languageSource}), voice ${voices}${result.voiceNote ? ` (${result.voiceNote})` : ''}\n`,
      );
      // Why the stand-ins were used, once per reason (a rejected key, a model the service does not know...).
      const reasons = new Set(
        result.sceneResults.flatMap((s) =>
          [s.image.fallback && s.image.error, s.voice.fallback && s.voice.error].filter((r): r is string => !!r),
        ),
      );
      for (const reason of reasons) process.stderr.write(`storyreel: stand-in because ${reason}\n`);
      for (const note of notes) process.stderr.write(`storyreel: ${note}\n`);
    }
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write(`${lineStart()}storyreel: interrupted; nothing was written.\n`);
      return 130;
    }
    throw error;
  }
}

/** Where an error line starts: over the progress bar on a terminal, else simply on its own line (no empty line before it). */
const lineStart = () => (process.stderr.isTTY ? '\r\x1b[K' : '');

/** The size check's advice names the option that gives a bigger file. */
function namingMaxBytes(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof StoryInputError && /allow a bigger file/.test(error.message)) {
      throw new StoryInputError(
        error.message.replace(/allow a bigger file\.?$/, 'allow a bigger file with --max-bytes (e.g. --max-bytes 25MB).'),
      );
    }
    throw error;
  }
}

/** The captions of the whole video: the one kind every scene got, or 'mixed'. */
function burnedOverall(scenes: string[]): string {
  const kinds = [...new Set(scenes)];
  return kinds.length === 1 ? kinds[0]! : 'mixed';
}

/** The start-up line's plain word on privacy: which services get the story's text, if any. */
function whereTheStoryGoes(providers: { image: string; voice: string; writer: string }): string {
  const away = [
    providers.writer !== 'local' ? `${providers.writer} (writes the scenes)` : undefined,
    providers.image !== 'local' ? `${providers.image} (paints the scenes from their text)` : undefined,
    providers.voice !== 'espeak' ? `${providers.voice} (speaks the narration)` : undefined,
  ].filter((x): x is string => x !== undefined);
  return away.length === 0
    ? "everything runs on this machine: the story's text does not leave it"
    : `the story's text leaves this machine, sent to ${away.join(', ')}; --offline keeps it here`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof StoryInputError ||
      error instanceof UsageError ||
      error instanceof OutputPathError ||
      (error as Error)?.name === 'ConfigError' ||
      (error as Error)?.name === 'MusicError' ||
      (error as Error)?.name === 'MissingBinaryError';
    process.stderr.write(`${lineStart()}storyreel: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
