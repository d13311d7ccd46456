/**
 * `npm run story -- --in story.txt --out video.mp4 [...]`: the engine from a command line.
 * Progress goes to stderr (a bar on a terminal), `--json` prints one object on stdout at the end.
 * Exit codes: 0 done, 1 the render failed, 2 bad input or configuration, 130 interrupted.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HELP, parseStoryArgs, USAGE, UsageError } from './parse-args.js';
import { ProgressBar } from './progress-bar.js';
import { loadEnvironment } from '../environment.js';
import { engineFromConfig } from '../engine-from-config.js';
import { checkStoryFitsLimit, cleanStory, StoryInputError } from '../engine/story-input.js';
import { MAX_STORY_CHARS } from '../core/story.js';
import { voiceIdFor } from '../providers/voice-presets.js';
import { redoScene, type RedoResult } from '../engine/redo-scene.js';
import type { RenderResult } from '../engine/render-story.js';
import { readJobFile, writeJobFile } from './job-file.js';

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

async function readStory(input: string): Promise<string> {
  if (input === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  let info;
  try {
    info = await stat(input);
  } catch (error) {
    throw cannotRead(input, error);
  }
  if (!info.isFile()) throw new StoryInputError(`Cannot read the story file "${input}": it is not a file.`);
  // Four bytes a character at most: anything bigger cannot be a story within the limit.
  if (info.size > MAX_STORY_CHARS * 4) {
    throw new StoryInputError(`The story is too long: the file has ${info.size.toLocaleString('en-US')} bytes, the limit is ${MAX_STORY_CHARS.toLocaleString('en-US')} characters.`);
  }
  return readFile(input, 'utf8').catch((error: unknown) => {
    throw cannotRead(input, error);
  });
}

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
  const { config, ffmpeg } = loadEnvironment();
  // A redo takes the story and options of the earlier video, from the job file beside it.
  const earlier = args.redo ? await readJobFile(args.redo.from) : undefined;
  const story = earlier ? cleanStory(earlier.story) : cleanStory(await readStory(args.input));
  const maxBytes = earlier?.options.maxBytes ?? args.maxBytes ?? config.limits.defaultMaxBytes;
  checkStoryFitsLimit(story, maxBytes);
  const engine = engineFromConfig(config, ffmpeg);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('Interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const bar = process.stderr.isTTY ? new ProgressBar((t) => process.stderr.write(t)) : undefined;
  if (!args.json) process.stderr.write(`storyreel: images ${engine.providers.image}, voice ${engine.providers.voice}, writer ${engine.providers.writer}\n`);
  try {
    const options = earlier?.options ?? {
      aspect: args.aspect,
      scenes: args.scenes,
      maxBytes,
      style: args.style,
      voice: voiceIdFor(args.voice, engine.providers.voice),
      voiceModel: args.voiceModel,
      seed: args.seed,
    };
    const request = { story, out: resolve(args.out), options, signal: controller.signal, onProgress: (e: Parameters<ProgressBar['handle']>[0]) => bar?.handle(e) };
    const result: RenderResult & Partial<Pick<RedoResult, 'redo'>> =
      earlier && args.redo ? await redoScene(engine.render, { ...request, script: earlier.script, seeds: earlier.seeds, scene: args.redo.scene - 1 }) : await engine.render(request);
    // Beside the video: what --redo N --from reads to make one scene again.
    await writeJobFile(result.out, { story, options, script: result.script, seeds: result.seeds, redo: args.redo ? { from: args.redo.from, scene: args.redo.scene } : undefined });
    const summary = {
      out: result.out,
      durationSeconds: Number(result.durationSeconds.toFixed(3)),
      width: result.width,
      height: result.height,
      sizeBytes: result.sizeBytes,
      scenes: result.scenes,
      fallbackScenes: result.fallbackScenes,
      timings: result.timings,
      // What each image was asked for, to see and reuse (same prompt + seed = same FLUX image).
      prompts: result.sceneResults.map((s) => ({ index: s.index, seed: s.seed, prompt: s.prompt })),
      ...(result.redo ? { redo: { scene: result.redo.scene + 1, oldSeed: result.redo.oldSeed, newSeed: result.redo.newSeed } } : {}),
    };
    if (args.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else
      process.stderr.write(
        (result.redo ? `storyreel: scene ${result.redo.scene + 1} made again (seed ${result.redo.oldSeed} -> ${result.redo.newSeed})\n` : '') +
        `storyreel: wrote ${result.out} (${result.scenes} scene${result.scenes === 1 ? '' : 's'}, ${result.durationSeconds.toFixed(1)} s, ${result.width}x${result.height}, ${(result.sizeBytes / 1024 / 1024).toFixed(2)} MiB) in ${(result.timings.totalMs / 1000).toFixed(1)} s` +
          (result.fallbackScenes.length ? `; scenes ${result.fallbackScenes.map((i) => i + 1).join(', ')} used a stand-in` : '') +
          '\n',
      );
    if (!args.json) {
      // Why the stand-ins were used, once per reason (a rejected key, a model the service does not know...).
      const reasons = new Set(result.sceneResults.flatMap((s) => [s.image.fallback && s.image.error, s.voice.fallback && s.voice.error].filter((r): r is string => !!r)));
      for (const reason of reasons) process.stderr.write(`storyreel: stand-in because ${reason}\n`);
    }
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write('\nstoryreel: interrupted; nothing was written.\n');
      return 130;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof StoryInputError || error instanceof UsageError || (error as Error)?.name === 'ConfigError' || (error as Error)?.name === 'MissingBinaryError';
    process.stderr.write(`\nstoryreel: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(known ? 2 : 1);
  },
);
