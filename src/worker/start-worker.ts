/**
 * A render worker, assembled: takes story jobs from the BullMQ queue on Redis and runs them with
 * this machine's engine, `concurrency` at a time. Its lock on a job (WORKER_LOCK_MS, 20 s) is
 * renewed at half that; if the worker dies (kill -9, machine gone), the lock lapses, BullMQ's
 * stalled check (every 10 s) puts the job back, and another worker takes it up within about 30 s, finding the assets
 * already made in the content-addressed cache. A job whose workers die MAX_STALLS + 1 times is
 * failed by BullMQ and given up by the gateway, visibly, with Re-run.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { REST } from 'discord.js';
import { ticketSecret, type Config } from '../config.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import type { Engine } from '../engine/create-engine.js';
import type { ProgressEvent } from '../engine/events.js';
import { blocking, QUEUE_NAME, RedisJobs, whenReady, type RenderJobData } from '../jobs/redis-jobs.js';
import { isConnectionError, watchRedis } from '../jobs/watch-redis.js';
import { assertRedisSuits } from '../jobs/redis-policy.js';
import { discordRestOptions } from '../jobs/shared-rest-limit.js';
import { processRenderJob } from './process-render-job.js';
import { CancelledByUser } from '../jobs/cancelled-by-user.js';
import { progressMetricsListener } from '../metrics/progress-metrics.js';
import { startWorkerMetrics } from './worker-metrics.js';

/** Times a job is taken up again after its worker died, before it is given up (as the bot's own resume cap). */
export const MAX_STALLS = 2;

export interface RunningWorker {
  id: string;
  stop(): Promise<void>;
}

/** This worker's scratch folder; folders of workers of this host that are gone are swept. */
async function scratch(dataDir: string): Promise<string> {
  const root = join(dataDir, 'work');
  const mine = join(root, `worker-${hostname()}-${process.pid}`);
  const prefix = `worker-${hostname()}-`;
  for (const entry of await readdir(root).catch(() => [] as string[])) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) await rm(join(root, entry), { recursive: true, force: true });
  }
  await mkdir(mine, { recursive: true });
  return mine;
}

export async function startWorker(opts: {
  config: Config;
  engine: (workRoot: string) => Engine;
  log: Logger;
  editIntervalMs?: number;
  onEvent?: (event: ProgressEvent) => void;
}): Promise<RunningWorker> {
  const { config, log } = opts;
  if (!config.redis)
    throw Object.assign(new Error('REDIS_URL is not set: a render worker takes its jobs from Redis (see README, "worker mode").'), {
      name: 'ConfigError',
    });
  if (!config.discord.token)
    throw Object.assign(new Error('DISCORD_TOKEN is not set: a worker posts the videos, with the same .env as the bot.'), {
      name: 'ConfigError',
    });
  const url = config.redis.url;
  const workDir = await scratch(config.dataDir);
  const engine = opts.engine(workDir);
  const limits = {
    perGuildRunning: config.limits.jobsPerGuild,
    perGuildWaiting: config.limits.queuePerGuild,
    globalRunning: config.limits.runningJobs,
  };
  const redis = blocking(url);
  let stopping = false;
  // One line when Redis is lost, one when back, a reminder between; every other connection is quiet.
  const watch = watchRedis(
    redis,
    log,
    {
      lost: 'lost Redis: not taking jobs until it is back (renders under way go on; their videos are delivered once it is back)',
      back: 'Redis is back: taking jobs again',
      still: 'not taking jobs until it is back',
    },
    () => stopping,
  );
  try {
    await whenReady(redis, 3000);
  } catch (error) {
    watch.unreachableAtStart(new URL(url).host, error, 'waiting for it; this worker takes jobs once it answers');
    await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  }
  try {
    await assertRedisSuits(redis, new URL(url).host);
  } catch (error) {
    watch.stop();
    redis.disconnect();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const jobs = new RedisJobs(redis, { url, limits, secret: ticketSecret(config)! });
  // Discord's global request limit, kept with the gateway and every other worker through Redis.
  const restLimit = discordRestOptions(config, log);
  const rest = new REST(restLimit.options).setToken(config.discord.token);
  const running = new Map<string, AbortController>();
  const id = `${hostname()}-${process.pid}`;
  const observed =
    config.metricsPort === undefined
      ? undefined
      : await startWorkerMetrics({ port: config.metricsPort, host: config.metricsHost }, { jobs, rest, running: () => running.size });
  const fold = observed && progressMetricsListener(observed.metrics);
  const onEvent = (event: ProgressEvent) => {
    fold?.(event);
    opts.onEvent?.(event);
  };
  const ctx = { jobs, engine, rest, workDir, log, editIntervalMs: opts.editIntervalMs, running, stopping: () => stopping, onEvent };
  const sub = blocking(url);
  watch.quiet(sub, jobs.queue);
  await sub.subscribe(jobs.channel('cancel'));
  sub.on('message', (_channel, raw: string) => {
    try {
      const { id: jobId, by } = JSON.parse(raw) as { id: string; by: string };
      running.get(jobId)?.abort(new CancelledByUser(by));
    } catch (error) {
      log.warn(`a cancel message could not be read: ${describeError(error)}`);
    }
  });
  const worker = new Worker<RenderJobData>(QUEUE_NAME, (job, token) => processRenderJob(ctx, job, token), {
    connection: blocking(url),
    prefix: 'sr',
    concurrency: config.workerConcurrency,
    lockDuration: config.workerLockMs,
    stalledInterval: config.workerLockMs / 2,
    maxStalledCount: MAX_STALLS,
    name: id,
  });
  watch.quiet(worker);
  // Its connection's errors are the outage, said once by the watch; anything else is worth a line.
  worker.on('error', (error) => {
    if (!watch.down && !isConnectionError(error)) log.warn(`worker: ${describeError(error)}`);
  });
  worker.on('failed', (job, error) => log.warn(`job ${job?.id}: ${describeError(error)}`));
  await worker.waitUntilReady();
  log.info(
    `render worker ${id} ready: ${config.workerConcurrency} job(s) at a time${observed ? `; /healthz and /metrics on port ${observed.server.port}` : ''}; images ${engine.providers.image} (${config.images.why}), voice ${engine.providers.voice} (${config.voices.why}), writer ${engine.providers.writer}`,
  );
  return {
    id,
    async stop() {
      stopping = true;
      for (const c of running.values()) c.abort(new Error('The render worker is stopping'));
      await worker.close();
      await observed?.server.close();
      watch.stop();
      sub.disconnect();
      await jobs.close();
      restLimit.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
