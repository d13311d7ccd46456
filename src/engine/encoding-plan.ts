/**
 * When the encoding plan can be made. The plan (resolution, bitrate) needs the video's total
 * length, and that is the sum of every scene's narration. Narration is normally all in long before
 * the first image, so the plan waits for every voice. But when one voice lags (a slow, retrying or
 * hanging service) the first scene that could render does not wait for it: the missing lengths are
 * estimated from the text, scaled by how fast the voices already in actually speak, with a margin,
 * so the plan errs on the small side (the size check after the mux catches the rest).
 */
import { estimateSpeechSeconds } from './silence.js';
import { SCENE_GAP_SECONDS } from './timeline.js';

/** Missing narration is planned this much longer than estimated: a smaller bitrate, not a re-encode. */
export const ESTIMATE_MARGIN = 1.25;

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
 * Resolves with the planned length as soon as every voice is in, or as soon as some scene has
 * both its image and its voice while other voices are still missing. Rejects if a voice rejects
 * (only an abort does: failed voices fall back to stand-ins).
 */
export function lengthWhenRenderable(input: { texts: string[]; voices: Promise<{ seconds: number }>[]; images: Promise<unknown>[] }): Promise<PlannedLength> {
  const { texts, voices, images } = input;
  const known: (number | undefined)[] = texts.map(() => undefined);
  const imageReady = texts.map(() => false);
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = () => {
      if (settled) return;
      const allVoices = known.every((s) => s !== undefined);
      const someSceneReady = known.some((s, i) => s !== undefined && imageReady[i]);
      if (allVoices || someSceneReady) {
        settled = true;
        resolve(plannedLength(known, texts));
      }
    };
    voices.forEach((voice, i) =>
      voice.then(
        (v) => {
          known[i] = v.seconds;
          check();
        },
        (error: unknown) => {
          settled = true;
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
