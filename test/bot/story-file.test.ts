/** /story file: over the fake Discord with the real discord.js; the attachment is served on loopback. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, STORY, type Harness } from '../support/bot-harness.js';

/**
 * Discord's CDN, played by a loopback server (on the fake Discord's host, which the bot accepts as
 * its CDN in tests): path -> bytes, or a handler for a misbehaving answer. Every request is counted.
 */
const files = new Map<string, Buffer | ((res: ServerResponse) => void)>();
const cdnRequests: string[] = [];
let cdn: Server;
let cdnBase: string;
beforeAll(async () => {
  cdn = createServer((req, res) => {
    cdnRequests.push(req.url ?? '');
    const bytes = files.get(req.url ?? '');
    if (!bytes) return void res.writeHead(404).end();
    if (typeof bytes === 'function') return bytes(res);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnBase = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
});
afterAll(async () => {
  cdn.closeAllConnections();
  await new Promise<void>((resolve) => cdn.close(() => resolve()));
});

let h: Harness;

const alice = { id: snowflake(), username: 'alice' };

function sendFile(
  name: string,
  bytes: Buffer | ((res: ServerResponse) => void),
  contentType: string | undefined,
  extra: {
    options?: { name: string; type: number; value: unknown }[];
    attachmentSizeLimit?: number;
    /** What the attachment says of itself (default: the bytes' length) and where it is (default: the CDN). */
    size?: number;
    base?: string;
  } = {},
) {
  const id = snowflake();
  files.set(`/${id}/${name}`, bytes);
  const url = `${extra.base ?? cdnBase}/${id}/${name}`;
  const attachment = {
    id,
    filename: name,
    size: extra.size ?? (typeof bytes === 'function' ? 100 : bytes.length),
    url,
    proxy_url: url,
    ...(contentType ? { content_type: contentType } : {}),
  };
  return h.discord.sendSlash({
    guildId: h.guilds[0]!.id,
    channelId: h.guilds[0]!.channel,
    user: alice,
    name: 'story',
    options: [{ name: 'file', type: 11, value: id }, ...(extra.options ?? [])],
    resolved: { attachments: { [id]: attachment } },
    attachmentSizeLimit: extra.attachmentSizeLimit,
  });
}

/** A refusal only the member sees: before the download, the ephemeral reply; after it, an ephemeral follow-up and no public reply left. */
async function privateReply(sent: { interactionId: string; token: string }): Promise<string> {
  const { interactionId, token } = sent;
  const followUp = () => h.discord.messages(token).find((m) => m.flags & 64);
  await h.discord.waitFor(() => {
    const first = h.discord.callbacks(interactionId)[0] as { type: number } | undefined;
    return first?.type === 4 || (first?.type === 5 && !!followUp() && !!h.discord.messages(token)[0]?.deleted);
  });
  const reply = h.discord.callbacks(interactionId)[0] as { type: number; data: { content: string; flags: number } };
  if (reply.type === 5) return followUp()!.content;
  expect(reply.data.flags & 64).toBe(64);
  return reply.data.content;
}

/** About `chars` characters of plain sentences. */
/** Exactly `chars` characters of plain sentences, ending with a full stop. */
const longStory = (chars: number) => {
  const sentence = 'The fox carried the lantern across the frozen river. ';
  const body = sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars - 1);
  return (body.endsWith(' ') ? body.slice(0, -1) + 'x' : body) + '.';
};

describe('/story file:', () => {
  afterEach(async () => h?.close());

  it('a .md file makes a video, its text (without a BOM) is the story', async () => {
    h = await startHarness();
    const { token } = sendFile('fox.md', Buffer.from('\uFEFF' + STORY, 'utf8'), 'text/markdown; charset=utf-8', {
      options: [{ name: 'scenes', type: 4, value: 2 }],
    });
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 60_000);
    expect(h.discord.messages(token)[0]?.files[0]?.name).toBe('story.mp4');
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]!.story).toBe(STORY);
  });

  it('a UTF-16 file with a byte order mark (Notepad\'s "Unicode") is read as the CLI reads it', async () => {
    h = await startHarness();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(STORY, 'utf16le')]);
    const { interactionId } = sendFile('fox.txt', utf16, 'text/plain; charset=utf-16', {
      options: [{ name: 'scenes', type: 4, value: 1 }],
    });
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    expect(h.discord.callbacks(interactionId)[0]).toMatchObject({ type: 5 });
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 60_000);
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]!.story).toBe(STORY);
  });

  it('a 15,000-character .txt is taken whole (the form stops at 4,000) and makes a video', async () => {
    // 15,000 characters are about 14 minutes of narration: a boosted server's 50 MiB holds it.
    h = await startHarness();
    const story = longStory(15_000);
    const { interactionId, token } = sendFile('long.txt', Buffer.from(story, 'utf8'), 'text/plain; charset=utf-8', {
      attachmentSizeLimit: 50 * 1024 * 1024,
    });
    await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0);
    expect(h.discord.callbacks(interactionId)[0]).toMatchObject({ type: 5 });
    // deferred first, then downloaded: the job exists once the file has been read
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 }).length > 0);
    const [job] = h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 });
    expect([...job!.story].length).toBe(15_000);
    expect(job!.story).toBe(story);
    await h.discord.waitFor(() => h.bot.history.get(job!.id)?.status === 'done', 600_000, 'the long video');
    const video = h.discord.messages(token)[0]!.files.find((f) => f.name === 'story.mp4')!;
    expect(video.bytes.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(video.bytes.length).toBeLessThanOrEqual(50 * 1024 * 1024);
    expect(h.bot.history.get(job!.id)!.result!.durationSeconds).toBeGreaterThan(10 * 60);
  }, 660_000);
});

describe('/story file: refusals', () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  afterEach(() => expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 10 })).toHaveLength(0));

  it('a PNG is refused privately, saying to attach .txt or .md', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await privateReply(sendFile('scene.png', png, 'image/png'))).toMatch(
      /Attach the story as a \.txt or \.md file \(got "scene\.png"\)/,
    );
  });

  it('a PNG renamed .txt is refused by its type, and without a type by its bytes', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
    expect(await privateReply(sendFile('story.txt', png, 'image/png'))).toMatch(/not a text file \(it is image\/png\)/);
    expect(await privateReply(sendFile('story.txt', png, undefined))).toMatch(/is not (UTF-8 )?text/);
  });

  it('a 30,000-character .txt is refused with its length and the limit', async () => {
    expect(await privateReply(sendFile('long.txt', Buffer.from(longStory(30_000), 'utf8'), 'text/plain; charset=utf-8'))).toMatch(
      /too long: 30,000 characters, the limit is 20,000/,
    );
  });

  it('text and a file together are refused', async () => {
    const sent = sendFile('fox.txt', Buffer.from(STORY), 'text/plain', {
      options: [{ name: 'story', type: 3, value: STORY }],
    });
    expect(await privateReply(sent)).toMatch(/as text or as a file, not both/);
  });
});

describe('/story file: the download (issue 24, item 8)', () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('is deferred first: a CDN slower than Discord’s 3 s still gives a story', async () => {
    let answered = 0;
    const sent = sendFile(
      'slow.txt',
      (res) =>
        void setTimeout(() => {
          answered = Date.now();
          res.writeHead(200, { 'content-type': 'text/plain' }).end(STORY);
        }, 3500),
      'text/plain',
      { options: [{ name: 'scenes', type: 4, value: 1 }] },
    );
    await h.discord.waitFor(() => h.discord.callbacks(sent.interactionId).length > 0, 10_000, 'the deferral');
    expect(h.discord.callbacks(sent.interactionId)[0]).toMatchObject({ type: 5 });
    expect(answered).toBe(0);
    await h.discord.waitFor(() => h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]?.status === 'done', 60_000, 'the video');
    expect(h.bot.history.recent({ guildId: h.guilds[0]!.id, limit: 1 })[0]!.story).toBe(STORY);
  }, 90_000);

  it('comes only from Discord’s CDN: another host is never asked', async () => {
    const before = cdnRequests.length;
    const elsewhere = cdnBase.replace('127.0.0.1', 'localhost');
    const sent = sendFile('fox.txt', Buffer.from(STORY), 'text/plain', { base: elsewhere });
    expect(await privateReply(sent)).toMatch(/does not come from Discord’s CDN/);
    expect(cdnRequests.length).toBe(before);
  });

  it('follows no redirect', async () => {
    const target = `/${snowflake()}/elsewhere.txt`;
    files.set(target, Buffer.from(STORY));
    const sent = sendFile('fox.txt', (res) => void res.writeHead(302, { location: `${cdnBase}${target}` }).end(), 'text/plain');
    expect(await privateReply(sent)).toMatch(/sent the file somewhere else/);
    expect(cdnRequests).not.toContain(target);
  });

  it('stops reading at the byte limit, whatever the file said its size was', async () => {
    let written = 0;
    let closed = false;
    const sent = sendFile(
      'small.txt',
      (res) => {
        // Says nothing of its length and sends 32 MiB in 16 KiB pieces, as long as anyone reads.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.on('close', () => (closed = true));
        const piece = Buffer.alloc(16 * 1024, 'a');
        const more = () => {
          while (written < 32 * 1024 * 1024 && !closed) {
            written += piece.length;
            if (!res.write(piece)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
      },
      'text/plain',
      { size: 100 },
    );
    expect(await privateReply(sent)).toMatch(/too long: over 80,000 bytes/);
    await h.discord.waitFor(() => closed, 10_000, 'the download stopped');
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });
});
