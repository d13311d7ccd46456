/**
 * The default DATA_DIR is relative (./data). `npm start` in one process with a relative DATA_DIR
 * must still deliver (the concat list's entries used to be relative, and ffmpeg reads them against
 * the list's own folder); and when ffmpeg does fail, the member sees a plain sentence and Re-run,
 * never a path or ffmpeg's own words (those go to the log).
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { slashStory, startFleet, waitForOutput, type Fleet } from '../support/fleet.js';
import { findOnPath } from '../../src/media/binaries.js';
import { loadConfig } from '../../src/config.js';

const ROOT = join(import.meta.dirname, '../..');
let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

const reply = (f: Fleet, token: string) => f.discord.messages(token)[0];
const text = (m: ReturnType<typeof reply>) => JSON.stringify(m?.embeds ?? []);

describe('configured paths', () => {
  it('are made absolute when the config loads', () => {
    const c = loadConfig({ DATA_DIR: './data', FFMPEG_PATH: 'bin/ffmpeg', ESPEAK_PATH: 'espeak-ng' });
    expect(c.dataDir).toBe(join(process.cwd(), 'data'));
    expect(c.ffmpeg.ffmpegPath).toBe(join(process.cwd(), 'bin/ffmpeg'));
    // A bare program name is still looked up on PATH.
    expect(c.voices.espeak.path).toBe('espeak-ng');
  });

  it('a relative DATA_DIR: the bot in one process delivers the video', async () => {
    const f = (fleet = await startFleet({ guilds: 1, redis: false }));
    const gateway = f.gateway({ DATA_DIR: relative(ROOT, f.dataDir) });
    await waitForOutput(f.discord, gateway, /logged in as/);
    const { token } = slashStory(f, f.guilds[0]!, { id: snowflake(), username: 'r' }, 'A kite rose. The wind sang.', 2);
    await f.discord.waitFor(() => ['done', 'failed'].includes(f.jobs()[0]?.status ?? ''), 120_000, 'the job to end');
    expect(f.jobs()[0]).toMatchObject({ status: 'done' });
    expect(reply(f, token)?.files.map((x) => x.name)).toEqual(['story.mp4']);
  }, 180_000);

  it('ffmpeg failing at the join: the member gets a plain sentence and Re-run; the log keeps ffmpeg’s words', async () => {
    const f = (fleet = await startFleet({ guilds: 1, redis: false }));
    const ffmpeg = join(f.dataDir, 'ffmpeg-failing-at-join');
    await writeFile(
      ffmpeg,
      `#!/bin/sh\ncase "$*" in *concat*) echo "${f.dataDir}/work/x/clips.txt: No such file or directory" >&2; exit 1;; esac\nexec ${findOnPath('ffmpeg')} "$@"\n`,
    );
    await chmod(ffmpeg, 0o755);
    const gateway = f.gateway({ FFMPEG_PATH: ffmpeg, FFPROBE_PATH: findOnPath('ffprobe')! });
    await waitForOutput(f.discord, gateway, /logged in as/);
    const { token } = slashStory(f, f.guilds[0]!, { id: snowflake(), username: 'r' }, 'A kite rose. The wind sang.', 1);
    await f.discord.waitFor(() => f.jobs()[0]?.status === 'failed', 120_000, 'the job to fail');
    await f.discord.waitFor(() => /could not be made/.test(text(reply(f, token))), 10_000, 'the failure shown');
    const shown = text(reply(f, token));
    expect(shown).toMatch(/Something went wrong while making the video/);
    expect(shown).not.toMatch(/ffmpeg|clips\.txt|No such file|\//);
    expect(JSON.stringify(reply(f, token)?.components)).toMatch(/Re-run/);
    expect(gateway.output()).toMatch(/failed: ffmpeg failed \(exit 1\): .*clips\.txt: No such file or directory/);
  }, 180_000);
});
