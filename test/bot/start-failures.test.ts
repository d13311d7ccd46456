/**
 * A place is never leaked (issue 24, item 2): whatever fails between admission and submission (a
 * busy SQLite, a refused deferral, the transport), the job's place is given back, so the member's
 * next /story is admitted instead of "You already have a story in progress" until a restart.
 * Each step fails once, for real, in the running bot; with the in-process transport and on Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { useRedis, type TestRedis } from '../support/redis-server.js';

/**
 * The next call of `obj[key]` for the given user's job fails with `error` (synchronously or as a
 * rejection); other calls (other members' jobs still starting) and later ones work.
 */
function failOnce<T extends object>(h: Harness, user: { id: string }, obj: T, key: keyof T & string, error: Error, async = false): void {
  const original = (obj[key] as (...args: unknown[]) => unknown).bind(obj);
  const owner = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return h.bot.history.get(arg)?.userId;
    const a = arg as { userId?: string; id?: string };
    return a.userId ?? (a.id ? h.bot.history.get(a.id)?.userId : undefined);
  };
  (obj as Record<string, unknown>)[key] = (...args: unknown[]) => {
    if (owner(args[0]) !== user.id) return original(...args);
    (obj as Record<string, unknown>)[key] = original;
    if (async) return Promise.reject(error);
    throw error;
  };
}

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

type Inject = (h: Harness, user: { id: string }) => void;
const steps: { step: string; inject: Inject }[] = [
  { step: 'the row cannot be written (SQLite busy)', inject: (h, u) => failOnce(h, u, h.bot.history, 'create', busy()) },
  { step: 'Discord refuses the deferral', inject: (h) => h.discord.failNext({ route: 'callback', status: 404, code: 10062 }) },
  { step: 'the reply id cannot be saved (SQLite busy)', inject: (h, u) => failOnce(h, u, h.bot.history, 'setMessageIds', busy()) },
  {
    step: 'the transport cannot say the place',
    inject: (h, u) => failOnce(h, u, h.bot.transport, 'position', new Error('connection lost'), true),
  },
  {
    step: 'the transport cannot take the ticket',
    inject: (h, u) => failOnce(h, u, h.bot.transport, 'submit', new Error('connection lost'), true),
  },
];

function story(h: Harness, user: { id: string; username: string }) {
  const g = h.guilds[0]!;
  return h.discord.sendSlash({
    guildId: g.id,
    channelId: g.channel,
    user,
    name: 'story',
    options: [
      { name: 'story', type: 3, value: 'A kite rose over the hill. The wind let it go.' },
      { name: 'scenes', type: 4, value: 1 },
    ],
  });
}

function failuresAtEachStep(harness: () => Harness) {
  it.each(steps)(
    '$step: the place is given back, the next /story is admitted',
    async ({ inject }) => {
      const h = harness();
      const user = { id: snowflake(), username: 'unlucky' };
      inject(h, user);
      const failed = story(h, user);
      await h.discord.waitFor(() => h.logs.some((l) => l.includes(`interaction ${failed.interactionId} failed`)), 30_000, 'the failure');
      for (const job of h.bot.history.recent({ guildId: h.guilds[0]!.id, userId: user.id, limit: 5 })) expect(job.status).toBe('failed');
      // A public "thinking..." reply that never became a job is removed.
      expect(h.discord.messages(failed.token)[0]?.deleted ?? true).toBe(true);

      const again = story(h, user);
      await h.discord.waitFor(() => h.discord.callbacks(again.interactionId).length > 0, 30_000, 'the second reply');
      const reply = h.discord.callbacks(again.interactionId)[0] as { type: number; data?: { content?: string } };
      expect(reply.data?.content ?? '').not.toMatch(/already have a story in progress/);
      expect(reply.type).toBe(5);
    },
    60_000,
  );
}

describe('a failure between admission and submission, in-process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MAX_JOBS_PER_GUILD: '10', MAX_QUEUE_PER_GUILD: '20' } });
  });
  afterAll(async () => h?.close());
  failuresAtEachStep(() => h);
});

describe('a failure between admission and submission, on Redis', () => {
  let redis: TestRedis;
  useRedis((server) => (redis = server));
  let h: Harness;
  beforeAll(async () => {
    // The gateway alone: no render worker takes the jobs, they wait in line.
    h = await startHarness({ env: { REDIS_URL: redis.url, MAX_QUEUE_PER_GUILD: '20' } });
  });
  afterAll(async () => h?.close());
  failuresAtEachStep(() => h);
});
