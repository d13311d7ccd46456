/**
 * The pipeline: story -> script -> every scene's image and narration in parallel -> each scene's
 * clip rendered the moment its own assets exist -> narration joined once -> final mux, checked
 * against the size limit. Emits typed progress events, honours an AbortSignal (every ffmpeg and
 * provider call gets it), and removes its scratch files whatever happens.
 */
import { rm } from 'node:fs/promises';
import type { LimitFunction } from 'p-limit';
import type { ProgressListener } from './events.js';
import { MAX_CAST, type CaptionMode, type CastMember, type Script, type StoryOptions } from '../core/story.js';
import { cleanStory, checkSceneCount, checkFitsLimit, checkStoryFitsLimit } from './story-input.js';
import { composeImagePrompt } from './styles.js';
import { writeScript } from './write-script.js';
import { checkNoBlockedWords } from '../core/blocked-words.js';
import { fetchSceneWithCast, planCast, sceneBrief, type CastPortrait, type PortraitListener } from './cast-portraits.js';
import { planDialogue } from './dialogue-plan.js';
import { fetchSceneVoice, type AssetContext, type Emit, type GatedProvider, type SceneImage, type SceneVoice } from './scene-assets.js';
import { createWorkspace, partialPathFor, publish } from './workspace.js';
import { buildTimeline, CROSSFADE, imageSizeFor, leadFor, timelineScene, TITLE_LEAD_SECONDS, type SceneInput } from './timeline.js';
import type { Timeline } from '../core/timeline.js';
import type { ClipJob } from './scene-clip.js';
import { renderScenes } from './scene-renders.js';
import { soundtrackCached } from './soundtrack-cache.js';
import { muxToFit } from './final-mux.js';
import { lengthWhenRenderable } from './encoding-plan.js';
import type { AssetStore, ImageProvider, SceneWriter, VoiceProvider } from '../providers/types.js';
import type { VoiceChoice } from '../providers/voice-presets.js';
import type { VoiceNote } from '../core/voice-note.js';
import type { FfmpegBinaries } from '../media/binaries.js';
import { planEncoding } from '../media/plan.js';
import { audioSeconds } from '../media/wav-seconds.js';
import { LOUDNESS_TARGET, renderSoundtrack } from './soundtrack.js';
import type { TimelineAudio } from '../core/timeline.js';
import { defaultMusicDir } from './music.js';
import type { RetryPolicy } from './retry.js';
import { storyLanguage } from './story-language.js';
import { isRtlLanguage } from '../core/language.js';
import { videoCues, type CaptionCue } from './video-cues.js';
import { jobDeadline } from './job-deadline.js';

export interface RenderRequest {
  story: string;
  options: StoryOptions;
  /** Where the MP4 goes; nothing is written there until it is complete. */
  out: string;
  /** Reuse these scenes and narration (e.g. "new images" for an earlier job). */
  script?: Script;
  /**
   * Keep this cast (a Re-run keeps its parent's) instead of the one the writer returns; its
   * portraits are drawn again with seeds from the new base seed. Ignored with `script`.
   */
  cast?: CastMember[];
  /** Per-scene seeds; missing ones derive from options.seed. Given (a redo), the script's cast keeps its portrait seeds too. */
  seeds?: number[];
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * Take scene clips and the soundtrack from the cache when it holds them for exactly the same
   * input (a redo: only the changed scene is encoded; New images: the narration is not mixed again).
   * Off by default, so a render measures encoding; they are kept either way.
   */
  reuseClips?: boolean;
  /** A scene's image is on disk at `path` (until the render ends), e.g. for a live preview. */
  onImage?: (scene: number, image: { path: string; fallback: boolean }) => void;
  /** A main character's portrait is on disk at `path` (until the render ends), before the scenes that show it. */
  onPortrait?: PortraitListener;
  /**
   * Show this title on a card over the first scene's lead-in (the first voice waits for it).
   * Undefined: the script's title line, when the story opened with one (`script.titleCard`).
   */
  title?: string;
  /**
   * Words the script may not contain (a server's blocked words): checked once the script is
   * written, before any image or voice is asked for; a match stops the job (BlockedWordError).
   */
  blockedWords?: readonly string[];
}

export interface SceneOutcome {
  index: number;
  seed: number;
  /** The prompt the image provider was asked for (scene, brief, framing, style), kept so it can be seen and reused. */
  prompt: string;
  /** How long the scene lasts in the video (lead-in, narration, a pause, frame-aligned). */
  seconds: number;
  /** How long its narration speaks. */
  narrationSeconds: number;
  image: Omit<SceneImage, 'path'>;
  voice: Omit<SceneVoice, 'path' | 'words'>;
  /** The captions burned into this scene: karaoke needs word timings (measured or estimated), plain without them. */
  captions: CaptionMode;
}

export interface RenderTimings {
  scriptMs: number;
  /** When the last image or narration arrived, from the job's start. */
  lastAssetMs: number;
  /** When the last scene clip was rendered. */
  lastClipMs: number;
  muxMs: number;
  totalMs: number;
}

export interface RenderResult {
  out: string;
  durationSeconds: number;
  width: number;
  height: number;
  sizeBytes: number;
  scenes: number;
  /** 0-based indexes of scenes whose image or voice came from a stand-in. */
  fallbackScenes: number[];
  script: Script;
  seeds: number[];
  sceneResults: SceneOutcome[];
  providers: { writer: string; image: string; voice: string };
  timings: RenderTimings;
  /** The story's language (BCP-47 primary subtag) and how it was chosen. */
  language: string;
  languageSource: 'requested' | 'detected' | 'hint' | 'default';
  /** The story's main characters and their portraits (seed, URL) when the image provider takes references. */
  cast?: CastPortrait[];
  /** Set when the image service refused the portraits as references: the scenes were drawn from their words alone. */
  referencesNote?: string;
  /** The voice id each scene was narrated with ("silence" when none could speak it). */
  voices: string[];
  /** Set when no voice of the story's language was available: which voice read it instead, and why. */
  voiceNote?: string;
  /** The same notes as data, for a reader in another language (the bot's result embed). */
  voiceNotes?: VoiceNote[];
  /** The characters who speak in the story and the voice each was given (empty: the narrator read it all). */
  speakers: { name: string; voice: string }[];
  /** The captions of the whole video, as burned in (timed by the voice's words when it gave them): for the .srt. */
  captions?: CaptionCue[];
  /** What the video is, as rendered (paths point into the render's scratch folder, gone after it). */
  timeline: Timeline;
}

/** What a render shares with every other render of the same engine. */
export interface EngineParts {
  images: GatedProvider<ImageProvider>;
  voices: GatedProvider<VoiceProvider>;
  fallbackImages: GatedProvider<ImageProvider>;
  fallbackVoices?: GatedProvider<VoiceProvider>;
  writer: SceneWriter;
  fallbackWriter: SceneWriter;
  ffmpeg: FfmpegBinaries;
  cache?: AssetStore;
  /** Bounds concurrent ffmpeg scene renders across all jobs. */
  renderLimit: LimitFunction;
  workRoot?: string;
  retry: { image: RetryPolicy; voice: RetryPolicy };
  /** The music when a request names none (DEFAULT_MUSIC; absent: none), and where generated loops are kept. */
  music?: { default?: string; dir?: string };
  /** JOB_TIMEOUT_MS: how long a job's services may take before stand-ins finish it (default: from the story's size). */
  jobTimeoutMs?: number;
}

interface VoicedScene extends SceneVoice {
  seconds: number;
}

export async function renderStory(parts: EngineParts, req: RenderRequest): Promise<RenderResult> {
  const t0 = Date.now();
  const since = () => Date.now() - t0;
  const emit: Emit = (event) => req.onProgress?.({ ...event, atMs: since() } as Parameters<ProgressListener>[0]);
  const story = cleanStory(req.story);
  const wantedScenes = checkSceneCount(req.options.scenes);
  const spoken = req.script ? req.script.scenes.map((s) => s.narration).join('\n') : story;
  checkStoryFitsLimit(spoken, req.options.maxBytes);
  req.signal?.throwIfAborted();
  const lang = storyLanguage(spoken, req.options, parts.voices.provider, parts.fallbackVoices?.provider);

  const inner = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, inner.signal]) : inner.signal;
  const pending: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined);
    pending.push(p);
    return p;
  };
  const workspace = await createWorkspace(parts.workRoot);
  let partial: string | undefined;
  try {
    const wrote =
      req.script ??
      (await writeScript(parts.writer, parts.fallbackWriter, {
        story,
        scenes: wantedScenes,
        aspect: req.options.aspect,
        style: req.options.style,
        signal,
      }));
    const written = req.cast?.length && !req.script ? keepCast(wrote, req.cast) : wrote;
    const scriptMs = since();
    emit({ type: 'script', scenes: written.scenes.length, writer: written.writer, fallbackReason: written.fallbackReason });
    // The narration as written must fit the size limit too, before any voice is asked for it.
    if (!req.script) checkStoryFitsLimit(written.scenes.map((s) => s.narration).join('\n'), req.options.maxBytes);
    checkNoBlockedWords(scriptTexts(written), req.blockedWords);

    const size = imageSizeFor(req.options.aspect);
    const baseSeed = req.options.seed ?? Math.floor(Math.random() * 1_000_000_000);
    const seeds = written.scenes.map((_, i) => req.seeds?.[i] ?? baseSeed + i);
    const prompts = written.scenes.map((scene) =>
      composeImagePrompt(scene.imagePrompt, sceneBrief(written, scene), req.options.style, req.options.aspect),
    );
    const deadline = jobDeadline(t0, story, parts.jobTimeoutMs);
    const ctx: AssetContext = {
      signal,
      emit,
      workspace,
      cache: parts.cache,
      retry: parts.retry,
      deadline,
      ffmpeg: parts.ffmpeg.ffmpeg,
      safeImages: req.options.safeImages,
    };
    // the portraits first: every scene that shows a character waits for them
    const cast = planCast(ctx, parts.images, written, {
      baseSeed,
      keepSeeds: req.seeds !== undefined,
      style: req.options.style,
      onPortrait: req.onPortrait,
    });
    const script: Script =
      cast.cast.length > 0 ? { ...written, cast: [...cast.cast, ...(written.cast ?? []).slice(cast.cast.length)] } : written;
    let lastAssetMs = 0;
    const arrived = <T>(p: Promise<T>) =>
      p.then((v) => {
        lastAssetMs = Math.max(lastAssetMs, since());
        return v;
      });

    const images = script.scenes.map((scene, i) =>
      track(
        arrived(
          fetchSceneWithCast(ctx, cast, scene, {
            scene: i,
            prompt: prompts[i]!,
            ...size,
            seed: seeds[i]!,
            primary: parts.images,
            fallback: parts.fallbackImages,
          }).then((image) => {
            req.onImage?.(i, { path: image.path, fallback: image.fallback });
            return image;
          }),
        ),
      ),
    );
    const dialogue = planDialogue(
      script,
      lang.voice.language,
      { provider: parts.voices.provider.name, voice: lang.voice.voice },
      parts.fallbackVoices && { provider: parts.fallbackVoices.provider.name, voice: lang.fallbackVoice?.voice },
      req.options.voices,
    );
    const voices = script.scenes.map((scene, i) =>
      track(
        arrived(
          fetchSceneVoice(ctx, {
            scene: i,
            text: scene.narration,
            voice: lang.voice.voice,
            fallbackVoice: lang.fallbackVoice?.voice,
            model: req.options.voiceModel,
            primary: parts.voices,
            fallback: parts.fallbackVoices,
            segments: dialogue.segments[i],
          }).then(async (v): Promise<VoicedScene> => ({ ...v, seconds: await audioSeconds(parts.ffmpeg.ffprobe, v.path) })),
        ),
      ),
    );

    // the story's title line (the writer took it out of the narration), or one the caller names
    const title = (req.title ?? script.titleCard)?.trim() || undefined;
    const hasTitle = title !== undefined;
    const sceneInput = (i: number, image: SceneImage, voice: VoicedScene): SceneInput => ({
      image: { path: image.path },
      narration: { path: voice.path, seconds: voice.seconds, text: script.scenes[i]!.narration, words: voice.words },
      seed: seeds[i]!,
    });
    // The size plan needs the total length: made once every voice is in, or, if one lags, as soon
    // as a scene could render, from an estimate (see encoding-plan.ts).
    const encodingPlan = track(
      lengthWhenRenderable({ texts: script.scenes.map((s) => s.narration), voices, images }).then(
        ({ durationSeconds: spokenSeconds, estimatedScenes }) => {
          const durationSeconds = spokenSeconds + (hasTitle ? TITLE_LEAD_SECONDS - leadFor(1, false) : 0);
          // Measured narration that no bitrate can fit: say so now, not after every clip is made.
          if (estimatedScenes === 0) checkFitsLimit(durationSeconds, req.options.maxBytes);
          return planEncoding({ aspect: req.options.aspect, maxBytes: req.options.maxBytes, durationSeconds });
        },
      ),
    );

    let lastClipMs = 0;
    // Each scene renders once its image, voice and the plan exist; scenes ready together share an
    // ffmpeg (clip-batches.ts). Per scene: the batch that holds it.
    const rtl = isRtlLanguage(lang.language);
    // A scene opens with the crossfade from the one before, so its clip also waits for that scene's
    // image and voice (its still, and how far its move has gone).
    const ready = script.scenes.map((scene, i) =>
      Promise.all([images[i]!, voices[i]!, encodingPlan, i > 0 ? images[i - 1]! : undefined, i > 0 ? voices[i - 1]! : undefined]).then(
        ([image, voice, plan, previousImage, previousVoice]): ClipJob => ({
          scene,
          part: timelineScene(i, sceneInput(i, image, voice), plan.fps, hasTitle),
          ...(previousImage && previousVoice
            ? { previous: timelineScene(i - 1, sceneInput(i - 1, previousImage, previousVoice), plan.fps, hasTitle) }
            : {}),
          transition: CROSSFADE,
          image,
          voice,
          plan,
          seed: seeds[i]!,
          prompt: prompts[i]!,
          captions: req.options.captions,
          rtl,
          language: lang.language,
          captionsPosition: req.options.captionsPosition,
          ...(i === 0 && title ? { title: { text: title, start: 0, end: TITLE_LEAD_SECONDS } } : {}),
        }),
      ),
    );
    ready.forEach((p) => p.catch(() => undefined));
    const batches = renderScenes({
      ready,
      reuseClips: req.reuseClips === true,
      ...(parts.cache ? { cache: parts.cache } : {}),
      renderLimit: parts.renderLimit,
      ctx: { ffmpeg: parts.ffmpeg, workspace, signal, fallbackImages: parts.fallbackImages, emit },
      onDone: () => (lastClipMs = Math.max(lastClipMs, since())),
    }).map(track);

    const narration = track(
      encodingPlan.then(async (plan) => {
        const vs = await Promise.all(voices);
        const out = workspace.file('narration.m4a');
        const inputs = vs.map((v, i) => {
          const { duration, narration } = timelineScene(i, sceneInput(i, { path: '' } as SceneImage, v), plan.fps, hasTitle);
          return { path: v.path, seconds: duration, lead: narration!.lead, spokenSeconds: v.seconds };
        });
        // in one of the render slots, once every voice is in: beside two scene renders, a third
        // ffmpeg held 62 MB more at the peak and shared the two cores three ways (docs/benchmarks.md)
        const music = req.options.music ?? parts.music?.default;
        const sound = { ffmpeg: parts.ffmpeg, workspace, signal, musicDir: parts.music?.dir ?? defaultMusicDir() };
        const soundtrack = { parts: inputs, music, audioKbps: plan.audioKbps, out };
        // queued before the clips' batches that are ready in the same turn (a warm render: the
        // soundtrack beside the first half, the second half after it); a redo's kept one is read
        // in the slot, in milliseconds
        await parts.renderLimit(() =>
          soundtrackCached({ cache: parts.cache, read: req.reuseClips === true }, soundtrack, async () => {
            await renderSoundtrack(sound, soundtrack);
          }),
        );
        return out;
      }),
    );

    const [sceneBatches, narrationPath, plan] = await Promise.all([Promise.all(batches), narration, encodingPlan]);
    // each batch once, in scene order
    const clipFiles = [...new Set(sceneBatches)].sort((a, b) => a.first - b.first).flatMap((b) => b.paths);
    const imageFellBack = sceneBatches.map((b, i) => b.imageFellBack[i - b.first]!);
    const muxStarted = Date.now();
    emit({ type: 'mux', state: 'started' });
    partial = await partialPathFor(req.out);
    const muxed = await muxToFit(
      { ffmpeg: parts.ffmpeg, workspace, signal, emit },
      { clips: clipFiles, narration: narrationPath, plan, maxBytes: req.options.maxBytes, out: partial },
    );
    const muxMs = Date.now() - muxStarted;
    emit({ type: 'mux', state: 'done', ms: muxMs, sizeBytes: muxed.sizeBytes });
    await publish(partial, req.out);
    partial = undefined;

    const vs = await Promise.all(voices);
    const is = await Promise.all(images);
    const timeline = buildTimeline({
      plan,
      scenes: script.scenes.map((_, i) => sceneInput(i, is[i]!, vs[i]!)),
      captions: { mode: req.options.captions, rtl, position: req.options.captionsPosition },
      title,
      transition: CROSSFADE,
      audio: timelineAudio(req.options.music ?? parts.music?.default),
    });
    const sceneResults: SceneOutcome[] = script.scenes.map((_, i) => {
      const { path: _ip, ...image } = is[i]!;
      const { path: _vp, words: _w, seconds, ...voice } = vs[i]!;
      const fellBack = image.fallback || imageFellBack[i]!;
      return {
        index: i,
        seed: seeds[i]!,
        prompt: prompts[i]!,
        seconds: timeline.scenes[i]!.duration,
        narrationSeconds: seconds,
        image: { ...image, fallback: fellBack },
        voice,
        captions: burnedCaptions(req.options.captions, vs[i]!.words),
      };
    });
    const result: RenderResult = {
      out: req.out,
      durationSeconds: muxed.durationSeconds,
      width: muxed.width,
      height: muxed.height,
      sizeBytes: muxed.sizeBytes,
      scenes: script.scenes.length,
      fallbackScenes: sceneResults.filter((s) => s.image.fallback || s.voice.fallback).map((s) => s.index),
      script,
      seeds,
      sceneResults,
      providers: { writer: script.writer, image: parts.images.provider.name, voice: parts.voices.provider.name },
      timings: { scriptMs, lastAssetMs, lastClipMs, muxMs, totalMs: since() },
      language: lang.language,
      languageSource: lang.source,
      ...(script.cast?.length ? { cast: await castResult(script, cast.portraits) } : {}),
      ...(cast.refused ? { referencesNote: cast.refused } : {}),
      voices: sceneResults.map((s) => s.voice.voice ?? s.voice.provider),
      ...voiceNotesOf(notedVoices(lang, sceneResults)),
      // the voices the characters spoke with: the stand-in's when it read every voiced scene
      speakers: sceneResults.some((s) => !s.voice.fallback) ? dialogue.speakers : dialogue.fallbackSpeakers,
      // the .srt's cues: the burned captions' own, each scene's from where its narration starts
      captions: videoCues(
        script.scenes.map((scene, i) => ({
          narration: scene.narration,
          narrationSeconds: vs[i]!.seconds,
          words: vs[i]!.words,
          start: timeline.scenes[i]!.start + (timeline.scenes[i]!.narration?.lead ?? 0),
        })),
        lang.language,
      ),
      timeline,
    };
    emit({ type: 'done', sizeBytes: result.sizeBytes, durationSeconds: result.durationSeconds });
    return result;
  } catch (error) {
    inner.abort(error);
    throw req.signal?.aborted ? (req.signal.reason ?? error) : error;
  } finally {
    await Promise.allSettled(pending);
    if (partial) await rm(partial, { force: true });
    await workspace.remove();
  }
}

/** The script with a kept cast (names and descriptions; the seeds are drawn again). */
function keepCast(script: Script, cast: CastMember[]): Script {
  return { ...script, cast: cast.map(({ name, description }) => ({ name, description })) };
}

/** The cast as drawn: its portraits (seed, URL), or the members as written when nothing was drawn. */
async function castResult(script: Script, portraits: Promise<CastPortrait>[]): Promise<CastPortrait[]> {
  const drawn = await Promise.all(portraits);
  return (script.cast ?? []).slice(0, MAX_CAST).map((m, i) => drawn[i] ?? { name: m.name, description: m.description });
}

/** Why a voice not of the story's language read it: the primary's note, or the stand-in's if it read any scene. */
function voiceNotesOf(voices: VoiceChoice[]): { voiceNote?: string; voiceNotes?: VoiceNote[] } {
  if (voices.length === 0) return {};
  const said = voices.flatMap((v) => (v.said ? [v.said] : []));
  return { voiceNote: voices.map((v) => v.note).join('; '), ...(said.length > 0 ? { voiceNotes: said } : {}) };
}

/** The voices that read the story with a note (not of its language, or rough), in the order they read. */
function notedVoices(lang: ReturnType<typeof storyLanguage>, scenes: SceneOutcome[]): VoiceChoice[] {
  const primaryRead = scenes.some((s) => !s.voice.fallback);
  const fallbackRead = scenes.some((s) => s.voice.fallback && !s.voice.silent);
  return [primaryRead ? lang.voice : undefined, fallbackRead ? lang.fallbackVoice : undefined].filter(
    (v): v is VoiceChoice => v?.note !== undefined,
  );
}

/** What a scene's captions were burned as: karaoke asked for falls back to plain without word timings (as caption-ass.ts does). */
function burnedCaptions(mode: CaptionMode | undefined, words: SceneVoice['words']): CaptionMode {
  const asked = mode ?? 'karaoke';
  return asked === 'karaoke' && !words?.some((w) => w.word.trim()) ? 'plain' : asked;
}

/** The soundtrack as the timeline tells it: the bed asked for (a mood, a file, none) and the loudness every video gets. */
function timelineAudio(music: string | undefined): TimelineAudio {
  const loudness = { integratedLufs: LOUDNESS_TARGET.integrated, truePeakDb: LOUDNESS_TARGET.truePeak };
  if (!music || music === 'none') return { music: { kind: 'none' }, loudness };
  return {
    music: music.includes('/') ? { kind: 'track', name: music.split('/').at(-1)!, path: music } : { kind: 'track', name: music },
    loudness,
  };
}

/** Everything of a script that is shown, spoken or sent to the image provider, and where it is. */
function scriptTexts(script: Script): { text: string; where: string }[] {
  return [
    { text: script.title, where: 'The title' },
    ...script.scenes.flatMap((scene, i) => [
      { text: scene.narration, where: `Scene ${i + 1}’s narration` },
      { text: scene.imagePrompt, where: `Scene ${i + 1}’s image prompt` },
    ]),
    ...(script.cast ?? []).map((m) => ({ text: `${m.name} ${m.description}`, where: `The character ${m.name}` })),
    ...(script.visualBrief ? [{ text: script.visualBrief, where: 'The visual brief' }] : []),
    ...(script.look ? [{ text: script.look, where: 'The look' }] : []),
  ];
}
