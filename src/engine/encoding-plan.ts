/**
 * When the encoding plan can be made. The plan (resolution, bitrate) needs the video's total
 * length, and that is the sum of every scene's narration, so the plan waits for every voice: voices
 * take a second or two, images several. But when a voice still lags a while after some scene could
 * already render (a slow, retrying or hanging service), that scene does not wait for it: the
 * missing lengths are estimated from the text, scaled by how fast the voices already in actually
 * speak, with a margin, so the plan errs on the small side (the size check after the mux catches
 * the rest). Estimating costs bits, so it is only done when a voice really lags.
 */
import { estimateSpeechSeconds } from './silence.js';
import { SCENE_GAP_SECONDS } from './timeline.js';

/** Missing narration is planned this much longer than estimated: a smaller bitrate, not a re-encode. */
export const ESTIMATE_MARGIN = 1.25;
/** How long a renderable scene waits for the last voices before the plan is made from an estimate. */
export const VOICE_GRACE_MS = 3000;

export interface PlannedLength {
  /** The video's total length the plan is made for, gaps included. */
  durationSeconds: number;
  /** How many scenes' lengths were estimated rather than measured. */
  estimatedScenes: number;
}

/** The total length from the narrations known so far (seconds, or undefined) and every scene's text. */
export function plannedLength(known: (number | undefined)[], texts: string[]): PlannedLength {
  let measured = 0;
  let estimatedForMeasured = 0;
  for (const [i, seconds] of known.entries()) {
    if (seconds === undefined) continue;
    measured += seconds;
    estimatedForMeasured += estimateSpeechSeconds(texts[i]!);
  }
  const pace = estimatedForMeasured > 0 ? measured / estimatedForMeasured : 1;
  let total = 0;
  let estimatedScenes = 0;
  for (const [i, text] of texts.entries()) {
    const seconds = known[i];
    if (seconds === undefined) estimatedScenes += 1;
    total += (seconds ?? estimateSpeechSeconds(text) * pace * ESTIMATE_MARGIN) + SCENE_GAP_SECONDS;
  }
  return { durationSeconds: total, estimatedScenes };
}

/**
 * Resolves with the planned length as soon as every voice is in, or once some scene has had both
 * its image and its voice for `graceMs` while other voices are still missing. Rejects if a voice
 * rejects (an abort, or its audio could not be read or saved; failed requests fall back to
 * stand-ins instead).
 */
export function lengthWhenRenderable(input: {
  texts: string[];
  voices: Promise<{ seconds: number }>[];
  images: Promise<unknown>[];
  graceMs?: number;
}): Promise<PlannedLength> {
  const { texts, voices, images, graceMs = VOICE_GRACE_MS } = input;
  const known: (number | undefined)[] = texts.map(() => undefined);
  const imageReady = texts.map(() => false);
  return new Promise((resolve, reject) => {
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      resolve(plannedLength(known, texts));
    };
    const check = () => {
      if (settled) return;
      if (known.every((s) => s !== undefined)) return settle();
      const someSceneReady = known.some((s, i) => s !== undefined && imageReady[i]);
      if (someSceneReady && grace === undefined) grace = setTimeout(settle, graceMs);
    };
    voices.forEach((voice, i) =>
      voice.then(
        (v) => {
          known[i] = v.seconds;
          check();
        },
        (error: unknown) => {
          settled = true;
          clearTimeout(grace);
          reject(error);
        },
      ),
    );
    images.forEach((image, i) =>
      image.then(
        () => {
          imageReady[i] = true;
          check();
        },
        () => undefined,
      ),
    );
  });
}
