/**
 * `/story file:`: a story attached as a .txt or .md file, up to the CLI's 20,000 characters (the
 * form stops at Discord's 4,000). Anything else is refused with one sentence saying why, in the member's language.
 *
 * What Discord says about the file (name, type, size) is checked at once, before any round trip;
 * the download comes after the command is deferred (Discord wants an answer within 3 s), only from
 * Discord's own CDN, without following redirects, and stops at the byte limit whatever the file
 * claims to be.
 */
import { extname } from 'node:path';
import { MAX_STORY_CHARS } from '../core/story.js';
import { describeError } from '../core/describe-error.js';
import { decodeStoryBytes, StoryInputError } from '../engine/story-input.js';
import { ENGLISH, storyInputText, type MemberText } from '../discord/member-text.js';

export const STORY_FILE_EXTENSIONS = ['.txt', '.md'] as const;
/** UTF-8 uses at most 4 bytes a character: a bigger file cannot hold a story within the limit. */
export const MAX_STORY_FILE_BYTES = MAX_STORY_CHARS * 4;
/** Where Discord serves attachments from. */
export const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;
/** The command is deferred by then: an 80 KB file from Discord's CDN takes well under a second. */
const DOWNLOAD_TIMEOUT_MS = 15_000;

export interface StoryAttachment {
  name: string;
  size: number;
  url: string;
  contentType: string | null;
}

/**
 * Hosts a story file may come from (over https), and one more that may be plain http: the host of
 * DISCORD_API_BASE when it is http (a local proxy or a test's fake Discord serving attachments).
 */
export interface StoryFileSource {
  hosts: readonly string[];
  httpHost?: string;
}

export type StoryFileResult = { ok: true; text: string } | { ok: false; message: string };

const refuse = (message: string): { ok: false; message: string } => ({ ok: false, message });
const tooBig = (m: MemberText, bytes: number, exact = true) =>
  refuse(m.t(exact ? 'story.file.tooBig' : 'story.file.tooBigOver', { bytes: m.number(bytes), limit: m.number(MAX_STORY_CHARS) }));
const shortName = (file: StoryAttachment) => file.name.slice(0, 80);

/** The sources a bot with this API base accepts files from. */
export function storyFileSource(apiBase: string | undefined): StoryFileSource {
  const api = apiBase ? new URL(apiBase) : undefined;
  return { hosts: DISCORD_CDN_HOSTS, httpHost: api?.protocol === 'http:' ? api.hostname : undefined };
}

/** What Discord says about the file, checked before anything goes over the network. */
export function checkStoryAttachment(file: StoryAttachment, m: MemberText = ENGLISH): { ok: true } | { ok: false; message: string } {
  const ext = extname(file.name).toLowerCase();
  if (!(STORY_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    return refuse(m.t('story.file.wrongType', { name: shortName(file) }));
  }
  // Discord guesses the type from the bytes' name and content; an image renamed .txt says image/png.
  const type = file.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && !type.startsWith('text/')) return refuse(m.t('story.file.notText', { name: shortName(file), type }));
  if (file.size > MAX_STORY_FILE_BYTES) return tooBig(m, file.size);
  return { ok: true };
}

function fromDiscord(url: string, source: StoryFileSource): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return source.hosts.includes(u.hostname) || u.hostname === source.httpHost;
  return u.protocol === 'http:' && u.hostname === source.httpHost;
}

/** Reads at most `limit` bytes of the body; undefined when there are more. */
async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/** The file's text, downloaded from Discord's CDN (call checkStoryAttachment first). */
export async function downloadStoryFile(
  file: StoryAttachment,
  source: StoryFileSource,
  timeoutMs = DOWNLOAD_TIMEOUT_MS,
  m: MemberText = ENGLISH,
): Promise<StoryFileResult> {
  if (!fromDiscord(file.url, source)) return refuse(m.t('story.file.notFromDiscord'));
  let bytes: Buffer | undefined;
  try {
    const res = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      return refuse(m.t('story.file.redirected'));
    }
    if (!res.ok || !res.body) return refuse(m.t('story.file.notHandedOver', { status: res.status }));
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > MAX_STORY_FILE_BYTES) {
      await res.body.cancel().catch(() => undefined);
      return tooBig(m, declared);
    }
    bytes = await readCapped(res.body, MAX_STORY_FILE_BYTES);
  } catch (error) {
    return refuse(m.t('story.file.downloadFailed', { reason: describeError(error) }));
  }
  if (!bytes) return tooBig(m, MAX_STORY_FILE_BYTES, false);
  // the CLI's decoder: UTF-8 (its byte order mark dropped) or UTF-16 with a byte order mark; NUL bytes and
  // other encodings refused with the byte that is wrong
  try {
    return { ok: true, text: decodeStoryBytes(bytes) };
  } catch (error) {
    if (error instanceof StoryInputError)
      return refuse(m.t('story.file.problem', { name: shortName(file), problem: storyInputText(error, m) }));
    throw error;
  }
}
