/**
 * The bot, assembled: configuration checked, Discord logged in, then history, the job transport
 * (this process, or render workers on Redis), the job service, commands, recovery. `startBot` is
 * what `npm start` (and each shard) runs and what the bot's tests start against a fake Discord.
 * Nothing is written to disk before the configuration (the token included) proved valid.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'discord.js';
import { ConfigError, type Config } from '../config.js';
import type { Engine } from '../engine/create-engine.js';
import { createLogger, type Logger } from '../core/log.js';
import { JobHistory } from '../store/job-history.js';
import { GuildSettingsStore } from '../store/guild-settings.js';
import { guildLimits } from './guild-rules.js';
import type { JobQueue } from '../jobs/in-process-queue.js';
import type { JobTransport } from '../jobs/job-transport.js';
import { createClient } from './create-client.js';
import { discordRestOptions } from '../jobs/shared-rest-limit.js';
import { loadCommands } from './load-commands.js';
import { routeInteractions } from './interaction-router.js';
import type { BotContext } from './context.js';
import { applicationIdFromToken, login } from './login.js';
import { JobBoard } from './job-board.js';
import { GatewayJobs } from './gateway-jobs.js';
import { createTransport } from './create-transport.js';
import { shardOf } from './shard-of.js';
import { storyFileSource } from './story-file.js';
import { JobEndings } from './job-endings.js';
import { keepHistoryFor } from './history-retention.js';
import { createMetrics, serveGatewayMetrics } from './gateway-metrics.js';
import { progressMetricsListener } from '../metrics/progress-metrics.js';
import type { MetricsServer } from '../metrics/metrics-server.js';
import { addQuotaMetrics, type QuotaMetrics } from '../metrics/quota-metrics.js';
import type { GuildLimits } from '../jobs/quota-rules.js';

export interface RunningBot {
  client: Client;
  jobs: GatewayJobs;
  transport: JobTransport;
  /** The in-process queue, when jobs run in this process (no REDIS_URL). */
  localQueue?: JobQueue<string>;
  history: JobHistory;
  /** Stop taking jobs, pause running ones for the next start, close Discord and the database. */
  stop(): Promise<void>;
}

export interface StartBotOptions {
  config: Config;
  /** Renders jobs in this process; not needed when render workers do (REDIS_URL). */
  engine?: Engine;
  log?: Logger;
  editIntervalMs?: number;
  /** The engine's scratch folder: emptied once logged in (a killed process leaves files there). */
  scratchDir?: string;
  /** A server's own limits (its /settings), sent with each admission; none when absent. */
  guildLimits?: (guildId: string) => GuildLimits | undefined;
}

export async function startBot(opts: StartBotOptions): Promise<RunningBot> {
  const { config, engine } = opts;
  const log = opts.log ?? createLogger('bot');
  const token = config.discord.token;
  if (!token) throw new ConfigError('DISCORD_TOKEN is not set: put the bot token in .env (see .env.example).');
  const applicationId = config.discord.applicationId ?? applicationIdFromToken(token);
  if (!applicationId)
    throw new ConfigError('DISCORD_APPLICATION_ID is not set and the token does not carry it: put the application id in .env.');
  if (!config.redis && !engine)
    throw new ConfigError('No engine to render with: set REDIS_URL to use render workers, or start the bot with an engine.');
  const commands = await loadCommands();
  const mode = config.redis ? `render workers on Redis (${new URL(config.redis.url).host})` : 'in this process';
  log.info(
    `jobs run ${mode}${engine ? `; images ${engine.providers.image} (${config.images.why}), voice ${engine.providers.voice} (${config.voices.why}), writer ${engine.providers.writer}` : ''}`,
  );

  // Discord's global request limit, kept with every other process of the bot through Redis.
  const restLimit = discordRestOptions(config, log);
  const client = createClient(config.discord.apiBase, restLimit.options);
  let servicesReady!: (ctx: BotContext) => void;
  routeInteractions(client, commands, new Promise<BotContext>((resolve) => (servicesReady = resolve)));
  try {
    await login(client, token, config.discord.apiBase ?? 'https://discord.com/api');
  } catch (error) {
    await client.destroy();
    restLimit.close();
    throw error;
  }
  const shard = shardOf(client);
  // Finished videos wait here only until uploaded: whatever a killed process left is stale.
  const workDir = join(config.dataDir, 'videos', shard ? `shard-${shard.id}` : 'main');
  await rm(workDir, { recursive: true, force: true });
  if (opts.scratchDir) await rm(opts.scratchDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const historyPath = join(config.dataDir, 'storyreel.sqlite');
  const history = new JobHistory(historyPath);
  const settings = new GuildSettingsStore(historyPath);
  const board = new JobBoard({ client, applicationId, history, log, editIntervalMs: opts.editIntervalMs });
  const metrics = config.metricsPort === undefined ? undefined : createMetrics('gateway');
  const onEvent = metrics && progressMetricsListener(metrics);
  let transport: JobTransport;
  let metricsServer: MetricsServer | undefined;
  let quotaMetrics: QuotaMetrics | undefined;
  try {
    transport = await createTransport({
      config,
      engine,
      history,
      historyPath,
      board,
      workDir,
      log,
      editIntervalMs: opts.editIntervalMs,
      owns: shard?.owns,
      onEvent,
    });
    if (metrics) quotaMetrics = addQuotaMetrics(metrics, async () => (await transport.usage('')).fleet);
    if (metrics)
      metricsServer = await serveGatewayMetrics({ port: config.metricsPort! + (shard?.id ?? 0), host: config.metricsHost }, metrics, {
        client,
        transport,
        history,
      });
  } catch (error) {
    history.close();
    settings.close();
    await client.destroy();
    restLimit.close();
    throw error;
  }
  const jobs = new GatewayJobs({
    client,
    applicationId,
    transport,
    history,
    board,
    log,
    defaultMaxBytes: config.limits.defaultMaxBytes,
    queuePerGuild: config.limits.queuePerGuild,
    allowNsfwInAgeRestricted: config.allowNsfwInAgeRestricted,
    endings: new JobEndings(),
    workDir,
    settings,
    // A server's /settings limits travel with each admission (a test may give its own).
    guildLimits: opts.guildLimits ?? ((guildId) => guildLimits(settings.get(guildId))),
    onRefused: quotaMetrics?.countRefusal,
  });
  const pruning = keepHistoryFor(history, config.historyRetentionDays, log);
  servicesReady({
    jobs,
    history,
    log,
    storyFiles: storyFileSource(config.discord.apiBase),
    settings,
    botLimits: { maxJobsPerGuild: config.limits.jobsPerGuild },
    usage: (guildId) => transport.usage(guildId),
  });
  const stats = await transport.stats().catch(() => undefined);
  log.info(
    `logged in as ${client.user?.tag}${shard ? ` (shard ${shard.id} of ${shard.count})` : ''}; commands: ${[...commands.keys()].map((c) => '/' + c).join(', ')}; mode: ${transport.mode}` +
      (transport.mode === 'redis' ? `, ${stats?.workers ?? 0} render worker(s) seen` : '') +
      (metricsServer ? `; /healthz and /metrics on port ${metricsServer.port}` : ''),
  );
  const resumed = await jobs.recover(shard?.owns);
  if (resumed) log.info(`resumed ${resumed} unfinished job(s) from before the restart`);
  let stopping: Promise<void> | undefined;
  return {
    client,
    jobs,
    transport,
    localQueue: 'queue' in transport ? (transport.queue as JobQueue<string>) : undefined,
    history,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(pruning);
        await jobs.shutdown();
        await metricsServer?.close();
        await client.destroy();
        restLimit.close();
        history.close();
        settings.close();
      })()),
  };
}
