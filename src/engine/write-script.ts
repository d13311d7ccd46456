/**
 * Story -> scenes: the one place that decides how hard to try the configured writer. Writers make
 * one request per call (providers/types.ts); here the script gets at most two:
 * - an unusable answer (broken JSON, a wrong scene count...) gets one repair request that quotes
 *   the reason back;
 * - a passing failure of the service (5xx, timeout, a rate limit asking for a short wait) gets one
 *   more try, after the wait retry.ts computes, when that wait is at most 3 s;
 * - anything else (a rejected key, a long Retry-After, a second failure) ends it.
 * Then the offline writer cuts the scenes, the script says why in `fallbackReason`, and the reason
 * is logged once. A caller's abort ends everything at once. Whatever comes back is checked:
 * 1-MAX_SCENES (20) scenes, no empty text, and no more narration than the story warrants
 * (narration-cap.ts: about 1.5x its characters), before any voice request is made.
 */
import type { SceneWriter, WriteRequest } from '../providers/types.js';
import { isProviderError } from '../providers/errors.js';
import { isUnusableAnswer } from '../providers/writers/unusable-answer.js';
import { splitTitleLine } from '../providers/writers/title-line.js';
import type { Script } from '../core/story.js';
import { MAX_SCENES } from '../core/story.js';
import { createLogger } from '../core/log.js';
import { sleep } from '../core/sleep.js';
import { describeError } from '../core/describe-error.js';
import { isAbort, isRetryable, retryDelay, type RetryPolicy } from './retry.js';
import { narrationTooLong } from './narration-cap.js';

const log = createLogger('writer');

/**
 * Two requests at most: a script is what the user waits for before anything else can start,
 * and the offline writer is always there. Backoff 250-500 ms before the second try.
 */
export const WRITER_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 500, maxDelayMs: 3_000 };
/** A failed request is asked again only when the wait is at most this long (a 429 asking 60 s is not worth it). */
export const MAX_WRITER_WAIT_MS = 3_000;

/**
 * A story that opens with a title line is written without it (every writer gets only the story) and
 * the script keeps the title as written, marked as a real title for the title card.
 */
export async function writeScript(writer: SceneWriter, fallback: SceneWriter, req: WriteRequest): Promise<Script> {
  const { title, body } = splitTitleLine(req.story);
  if (title === undefined) return writeStory(writer, fallback, req);
  const script = await writeStory(writer, fallback, { ...req, story: body });
  return { ...script, title, titleCard: title };
}

async function writeStory(writer: SceneWriter, fallback: SceneWriter, req: WriteRequest): Promise<Script> {
  if (writer === fallback) return checkScript(await writer.write(req));
  let reason: string;
  try {
    const script = checkScript(await writeWithOneMore(writer, req));
    // Narration is what the voice is paid for: more than the story warrants is not spoken at all.
    const tooLong = narrationTooLong(
      script.scenes.map((s) => s.narration),
      req.story,
    );
    if (tooLong) throw new WriterGaveUp(tooLong);
    return script;
  } catch (error) {
    if (isAbort(error, req.signal)) throw error;
    reason = reasonOf(error);
  }
  log.warn('the scene writer failed; the offline writer stands in', { writer: writer.name, reason });
  const script = checkScript(await fallback.write({ ...req, repair: undefined }));
  return { ...script, fallbackReason: `${writer.name} writer: ${reason}; the ${script.writer} writer cut the scenes` };
}

/** Why the configured writer was given up on, when it is not a ProviderError: its message is the reason. */
class WriterGaveUp extends Error {
  override readonly name = 'WriterGaveUp';
}

/** The first request, then at most one more: a repair or a retry. Throws what ended it. */
async function writeWithOneMore(writer: SceneWriter, req: WriteRequest): Promise<Script> {
  try {
    return await writer.write(req);
  } catch (error) {
    if (isAbort(error, req.signal)) throw error;
    if (isUnusableAnswer(error)) {
      // Debug only: the reason is logged once, by the fallback, if the repair fails too.
      log.debug('the scene writer gave an unusable answer; asking for a repair', { reason: error.reason });
      return await writer.write({ ...req, repair: { answer: error.answer, reason: error.reason } }).catch((second: unknown) => {
        throw isUnusableAnswer(second) ? new WriterGaveUp(`its answer was unusable twice (${second.reason})`) : second;
      });
    }
    if (!isRetryable(error)) throw error;
    const wait = retryDelay(WRITER_RETRY, 1, error);
    if (wait > MAX_WRITER_WAIT_MS) throw error;
    log.debug('the scene writer failed once; asking again', { reason: describeError(error), waitMs: wait });
    await sleep(wait, req.signal);
    return await writer.write(req).catch((second: unknown) => {
      throw isUnusableAnswer(second) ? new WriterGaveUp(`its answer was unusable (${second.reason}) after a failed request`) : second;
    });
  }
}

function reasonOf(error: unknown): string {
  if (isProviderError(error) || error instanceof WriterGaveUp) return error.message;
  if (isUnusableAnswer(error)) return `its answer was unusable (${error.reason})`;
  return `unexpected error: ${describeError(error).slice(0, 200)}`;
}

export function checkScript(script: Script): Script {
  const scenes = script.scenes
    .map((s) => ({ narration: s.narration.trim(), imagePrompt: s.imagePrompt.trim() }))
    .filter((s) => s.narration.length > 0)
    .slice(0, MAX_SCENES)
    .map((s, index) => ({ index, narration: s.narration, imagePrompt: s.imagePrompt || s.narration }));
  if (scenes.length === 0) throw new Error(`The ${script.writer} writer returned no scenes.`);
  return { ...script, title: script.title.trim() || scenes[0]!.narration.slice(0, 80), scenes };
}
