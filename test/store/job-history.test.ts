/** JobHistory against a real SQLite file in a temp folder. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { JobHistory, JobStoreError, UnreadableJobError, type JobFinish } from '../../src/store/job-history.js';
import { JOB_STATUSES, type JobStatus, type NewJob } from '../../src/store/job-record.js';
import { useCapturedLogs } from '../support/captured-logs.js';

const logs = useCapturedLogs();
let dir: string;
let path: string;
const open: JobHistory[] = [];
const history = (now?: () => number) => {
  const h = new JobHistory(path, now);
  open.push(h);
  return h;
};
/** A second, plain connection, for what the repository does not do (damage a row). */
const raw = () => {
  const db = new Database(path);
  return { run: (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args), close: () => db.close() };
};
/** How many rows the file holds in each status, read beside the repository (nothing in src needs it). */
const countByStatus = (): Record<JobStatus, number> => {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as { status: JobStatus; n: number }[];
    return { ...Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])), ...Object.fromEntries(rows.map((r) => [r.status, r.n])) } as Record<
      JobStatus,
      number
    >;
  } finally {
    db.close();
  }
};

const GUILD = '111111111111111111';
const ODD =
  'Once {\\N} "quotes" \'single\' ; DROP TABLE jobs; -- 😀👩‍👩‍👧‍👦 e\u0301 日本語 العربية \u202eRTL\u202c \u200b\u0000nul \t\r\n end';
const job = (over: Partial<NewJob> = {}): NewJob => ({
  kind: 'story',
  guildId: GUILD,
  channelId: '222222222222222222',
  userId: '333333333333333333',
  story: ODD,
  options: { aspect: '9:16', maxBytes: 10_485_760, style: 'noir', voice: 'ashley', scenes: 2, seed: 7 },
  ...over,
});
const script = {
  title: 'Ünïcødé 🌊',
  writer: 'openai',
  visualBrief: 'a red fox',
  scenes: [
    { index: 0, narration: 'The fox ran. 🦊', imagePrompt: 'fox, "night"' },
    { index: 1, narration: 'نهاية', imagePrompt: 'moon' },
  ],
};
const asset = (provider: string, fallback: boolean) => ({ provider, cacheKey: 'ab'.repeat(32), cached: !fallback, fallback });
const sceneResults = [
  {
    index: 0,
    seed: 7,
    seconds: 3.2,
    narrationSeconds: 2.9,
    image: asset('pollinations', false),
    voice: { ...asset('inworld', false), silent: false },
  },
  {
    index: 1,
    seed: 8,
    seconds: 2,
    narrationSeconds: 1.5,
    image: { ...asset('local', true), error: 'HTTP 502' },
    voice: { ...asset('espeak', true), silent: false },
  },
];
const result = {
  durationSeconds: 5.2,
  width: 720,
  height: 1280,
  sizeBytes: 1_234_567,
  scenes: 2,
  fallbackScenes: [1],
  providers: { writer: 'openai', image: 'pollinations', voice: 'inworld' },
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sr-store-'));
  path = join(dir, 'nested', 'storyreel.sqlite');
});
afterEach(async () => {
  open.splice(0).forEach((h) => h.close());
  await rm(dir, { recursive: true, force: true });
});

describe('JobHistory: what goes in comes out', () => {
  it('round-trips every field, odd Unicode included', () => {
    let t = 1_700_000_000_000;
    const h = history(() => (t += 1000));
    const parent = h.create(job());
    const created = h.create(job({ kind: 'new-images', parentJobId: parent.id, title: script.title, script }));
    expect(created.id).toMatch(/^[a-z0-9]{12}$/);
    expect(created).toMatchObject({
      status: 'queued',
      attempts: 0,
      createdAt: 1_700_000_002_000,
      timings: { queuedAt: 1_700_000_002_000 },
      messageIds: {},
    });
    h.markRunning(created.id, 1_700_000_002_500);
    h.saveProgress(created.id, { seeds: [7, 8], sceneResults });
    h.setMessageIds(created.id, { original: '444444444444444444' });
    h.finish(created.id, {
      status: 'done',
      result,
      timings: { scriptMs: 12, totalMs: 4000 },
      messageIds: { result: '555555555555555555' },
    });

    expect(history().get(created.id)).toEqual({
      id: created.id,
      kind: 'new-images',
      parentJobId: parent.id,
      guildId: GUILD,
      channelId: '222222222222222222',
      userId: '333333333333333333',
      story: ODD,
      title: script.title,
      options: job().options,
      seeds: [7, 8],
      script,
      sceneResults,
      status: 'done',
      error: undefined,
      timings: {
        queuedAt: 1_700_000_002_000,
        startedAt: 1_700_000_002_500,
        finishedAt: 1_700_000_006_000,
        engine: { scriptMs: 12, totalMs: 4000 },
      },
      result,
      messageIds: { original: '444444444444444444', result: '555555555555555555' },
      attempts: 0,
      createdAt: 1_700_000_002_000,
      updatedAt: 1_700_000_006_000,
    });
  });

  it('holds a 20,000-character story of astral characters; an unpaired surrogate is stored as U+FFFD', () => {
    const h = history();
    const long = '𝔉🦊'.repeat(10_000);
    expect([...long]).toHaveLength(20_000);
    expect(h.get(h.create(job({ story: long })).id)!.story).toBe(long);
    expect(h.get(h.create(job({ story: 'lone \ud800 and \udc00 end' })).id)!.story).toBe('lone \ufffd and \ufffd end');
    // Over the engine's limit is still recorded (the job then fails with the engine's message); only absurd sizes are refused.
    expect(h.create(job({ story: 'a'.repeat(40_000) })).story).toHaveLength(40_000);
    expect(() => h.create(job({ story: long + long + 'x' }))).toThrow(
      new JobStoreError('Invalid job story: Too big: expected string to have <=40000 characters'),
    );
  });

  it('refuses bad input with one line, and any field it does not know (a token has no place here)', () => {
    const h = history();
    expect(() => h.create({ ...job(), interactionToken: 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5' } as NewJob)).toThrow(
      /^Invalid job: Unrecognized key: "interactionToken"$/,
    );
    expect(() => h.create(job({ guildId: 'MTA5.Gx.token-like' }))).toThrow('Invalid job guildId: must be a Discord snowflake');
    expect(() => h.create(job({ story: '  \n ' }))).toThrow('Invalid job story: must not be empty');
    expect(() => h.setMessageIds('nope', { original: 'abc' })).toThrow('Invalid message ids original: must be a Discord snowflake');
    expect(() => h.create(job({ kind: 'rerun', parentJobId: 'zzzzzzzzzzzz' }))).toThrow(
      'No job zzzzzzzzzzzz to be the parent of a new one.',
    );
    expect(() => h.markRunning('nope')).toThrow(new JobStoreError('No job nope.'));
    expect(countByStatus()).toEqual({ queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, interrupted: 0 });
  });

  it('keeps an error as one line', () => {
    const h = history();
    const { id } = h.create(job());
    const ended = h.finish(id, { status: 'failed', error: `ffmpeg exited 1:\n  line two\r\n${'x'.repeat(600)}` });
    expect(ended.error).toMatch(/^ffmpeg exited 1: line two x+…$/);
    expect(ended.error).toHaveLength(500);
  });
});

describe('JobHistory: status changes', () => {
  const ENDS = ['done', 'failed', 'cancelled', 'interrupted'] as const;
  const ALLOWED = new Set([
    'queued>running',
    'queued>failed',
    'queued>cancelled',
    'queued>interrupted',
    'running>done',
    'running>failed',
    'running>cancelled',
    'running>interrupted',
    'running>queued',
    'interrupted>queued',
  ]);
  const reach = (h: JobHistory, status: JobStatus): string => {
    const { id } = h.create(job());
    if (status === 'queued') return id;
    h.markRunning(id);
    if (status !== 'running') h.finish(id, { status } as JobFinish);
    return id;
  };
  const move = (h: JobHistory, id: string, to: JobStatus) =>
    to === 'running' ? h.markRunning(id) : to === 'queued' ? h.requeue(id) : h.finish(id, { status: to });

  for (const from of ['queued', 'running', ...ENDS] as const) {
    for (const to of ['queued', 'running', ...ENDS] as const) {
      const ok = ALLOWED.has(`${from}>${to}`);
      it(`${from} -> ${to}: ${ok ? 'allowed' : 'refused'}`, () => {
        const h = history();
        const id = reach(h, from);
        if (ok) expect(move(h, id, to).status).toBe(to);
        else {
          expect(() => move(h, id, to)).toThrow(new JobStoreError(`Job ${id} cannot go from ${from} to ${to}.`));
          expect(h.get(id)!.status).toBe(from);
        }
      });
    }
  }

  it('progress is refused once a job has ended; message ids are still taken', () => {
    const h = history();
    const { id } = h.create(job());
    h.finish(id, { status: 'cancelled', error: 'cancelled by user' });
    expect(() => h.saveProgress(id, { seeds: [1] })).toThrow(`Job ${id} is cancelled: its progress can no longer change.`);
    expect(h.setMessageIds(id, { channelMessage: '666666666666666666' }).messageIds).toEqual({ channelMessage: '666666666666666666' });
  });

  it('counts jobs by status', () => {
    const h = history();
    reach(h, 'queued');
    reach(h, 'running');
    reach(h, 'done');
    reach(h, 'done');
    expect(countByStatus()).toEqual({ queued: 1, running: 1, done: 2, failed: 0, cancelled: 0, interrupted: 0 });
  });
});

describe('JobHistory: lists', () => {
  it('recent: newest first, for a user or the whole guild, never another guild, at most limit', () => {
    const h = history(() => 1000); // same millisecond: insertion order decides
    const a = h.create(job({ userId: '1' }));
    const b = h.create(job({ userId: '2' }));
    const c = h.create(job({ userId: '1' }));
    h.create(job({ guildId: '999', userId: '1' }));
    expect(h.recent({ guildId: GUILD, limit: 10 }).map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    expect(h.recent({ guildId: GUILD, userId: '1', limit: 10 }).map((j) => j.id)).toEqual([c.id, a.id]);
    expect(h.recent({ guildId: GUILD, userId: '1', limit: 1 }).map((j) => j.id)).toEqual([c.id]);
    expect(h.recent({ guildId: '5', limit: 10 })).toEqual([]);
    expect(() => h.recent({ guildId: GUILD, limit: 0 })).toThrow('The limit must be a whole number from 1 to 100 (got 0).');
  });

  it('a damaged JSON column: get names the job and the column; lists skip that job with a warning', () => {
    const h = history();
    const bad = h.create(job());
    const good = h.create(job());
    const db = raw();
    db.run('UPDATE jobs SET options = ? WHERE id = ?', '{not json', bad.id);
    db.run('UPDATE jobs SET scene_results = ? WHERE id = ?', JSON.stringify([{ index: 'zero' }]), good.id);
    db.close();
    expect(() => h.get(bad.id)).toThrow(new UnreadableJobError(bad.id, 'options'));
    expect(() => h.get(bad.id)).toThrow(`Job ${bad.id} has an unreadable options column.`);
    expect(() => h.markRunning(bad.id)).toThrow(UnreadableJobError);
    expect(h.recent({ guildId: GUILD, limit: 10 })).toEqual([]);
    expect(h.unfinished()).toEqual([]);
    expect(
      logs.filter((l) => l.includes(`WARN [store] skipped a job in the list: Job ${bad.id} has an unreadable options column.`)),
    ).toHaveLength(2);
    expect(logs.filter((l) => l.includes(`Job ${good.id} has an unreadable scene_results column.`))).toHaveLength(2);
  });
});

describe('JobHistory: several connections and a crash', () => {
  it("two connections on the same file see each other's writes, and only one can end a job", () => {
    const a = history();
    const b = history();
    const { id } = a.create(job());
    expect(b.get(id)?.status).toBe('queued');
    b.markRunning(id);
    expect(a.get(id)?.status).toBe('running');
    a.finish(id, { status: 'cancelled', error: 'cancelled by user' });
    expect(() => b.finish(id, { status: 'done', result })).toThrow(`Job ${id} cannot go from cancelled to done.`);
    expect(a.get(id)).toMatchObject({ status: 'cancelled', error: 'cancelled by user' });
    expect(b.recent({ guildId: GUILD, limit: 5 }).map((j) => j.status)).toEqual(['cancelled']);
  });

  it('a process killed mid-job: the next open finds its unfinished jobs, oldest first, and re-queues with the attempt counted', async () => {
    const crasher = join(dir, 'crash.ts');
    await writeFile(
      crasher,
      `import { JobHistory } from ${JSON.stringify(join(process.cwd(), 'src/store/job-history.ts'))};
       const h = new JobHistory(${JSON.stringify(path)});
       const base = ${JSON.stringify(job())};
       const running = h.create(base);
       h.markRunning(running.id);
       h.saveProgress(running.id, { seeds: [7, 8] });
       const queued = h.create(base);
       h.finish(h.create(base).id, { status: 'failed', error: 'x' });
       process.stdout.write(JSON.stringify([running.id, queued.id]));
       process.kill(process.pid, 'SIGKILL');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', crasher], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const [runningId, queuedId] = JSON.parse(child.stdout) as string[];
    expect((await stat(`${path}-wal`)).size).toBeGreaterThan(0); // never checkpointed: the reopen recovers from the WAL

    const h = history();
    expect(h.unfinished().map((j) => [j.id, j.status, j.seeds])).toEqual([
      [runningId, 'running', [7, 8]],
      [queuedId, 'queued', undefined],
    ]);
    expect(h.requeue(runningId!)).toMatchObject({ status: 'queued', attempts: 1 });
    h.finish(queuedId!, { status: 'interrupted', error: 'could not resume: no access' });
    expect(h.unfinished().map((j) => j.id)).toEqual([runningId]);
    expect(h.markRunning(runningId!)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('a clean stop checkpoints a running job: back in line, not counted as a resume', () => {
    const h = history();
    const id = h.create(job()).id;
    h.markRunning(id);
    expect(h.checkpoint(id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(h.unfinished().map((j) => j.id)).toContain(id);
    h.finish(h.markRunning(id).id, { status: 'done' });
    expect(() => h.checkpoint(id)).toThrow(/cannot go from done to queued/);
  });
});

describe('delete and prune (HISTORY_RETENTION_DAYS)', () => {
  it('prune removes finished jobs last changed before the cutoff, never queued or running ones; delete removes one', () => {
    const DAY = 24 * 3600 * 1000;
    let now = Date.now() - 40 * DAY;
    const h = history(() => now);
    const make = (parentJobId?: string) =>
      h.create({
        kind: parentJobId ? 'rerun' : 'story',
        parentJobId,
        guildId: GUILD,
        channelId: '222222222222222222',
        userId: '333333333333333333',
        story: 'A short story. It ends.',
        options: { aspect: '9:16', scenes: 1, maxBytes: 10 * 1024 * 1024, seed: 1 },
      }).id;
    const oldDone = make();
    h.markRunning(oldDone);
    h.finish(oldDone, { status: 'failed', error: 'x' });
    const oldQueued = make();
    const oldRunning = make();
    h.markRunning(oldRunning);
    now = Date.now();
    const fresh = make();
    h.finish(fresh, { status: 'cancelled', error: 'cancelled by user' });
    const child = make(oldDone);

    expect(h.prune(30)).toBe(1);
    expect(h.get(oldDone)).toBeUndefined();
    expect(h.get(child)?.parentJobId).toBeUndefined();
    expect([oldQueued, oldRunning, fresh].map((id) => h.get(id)?.id)).toEqual([oldQueued, oldRunning, fresh]);
    expect(h.delete(fresh)).toBe(true);
    expect(h.delete(fresh)).toBe(false);
    expect(h.get(fresh)).toBeUndefined();
  });
});
