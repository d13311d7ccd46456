/**
 * The bot, assembled: history database, engine, job service, commands, the discord.js client.
 * `startBot` is what `npm start` runs and what the bot's tests start against a fake Discord.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Events, type Client } from 'discord.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine/create-engine.js';
import { createLogger, type Logger } from '../core/log.js';
import { JobHistory } from '../store/job-history.js';
import { createClient } from './create-client.js';
import { loadCommands } from './load-commands.js';
import { routeInteractions } from './interaction-router.js';
import { StoryJobs } from './story-jobs.js';

export interface RunningBot {
  client: Client;
  jobs: StoryJobs;
  history: JobHistory;
  /** Stop taking jobs, pause running ones for the next start, close Discord and the database. */
  stop(): Promise<void>;
}

export async function startBot(opts: { config: Config; engine: Engine; log?: Logger; editIntervalMs?: number }): Promise<RunningBot> {
  const { config, engine } = opts;
  const log = opts.log ?? createLogger('bot');
  if (!config.discord.token) throw new Error('DISCORD_TOKEN is not set: put the bot token in .env (see .env.example).');
  // Finished videos wait here only until uploaded: whatever a killed process left is stale.
  const workDir = join(config.dataDir, 'videos');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const history = new JobHistory(join(config.dataDir, 'storyreel.sqlite'));
  const client = createClient(config.discord.apiBase);
  const jobs = new StoryJobs({
    client,
    engine,
    history,
    workDir,
    log,
    editIntervalMs: opts.editIntervalMs,
    limits: { perGuildRunning: config.limits.jobsPerGuild, perGuildWaiting: config.limits.queuePerGuild, globalRunning: config.limits.runningJobs },
  });
  const commands = await loadCommands();
  routeInteractions(client, commands, { jobs, history, log });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.discord.token);
    await ready;
  } catch (error) {
    history.close();
    await client.destroy();
    throw error;
  }
  log.info(`logged in as ${client.user?.tag}; commands: ${[...commands.keys()].map((c) => '/' + c).join(', ')}; images ${engine.providers.image}, voice ${engine.providers.voice}, writer ${engine.providers.writer}`);
  const resumed = await jobs.recover();
  if (resumed) log.info(`resumed ${resumed} unfinished job(s) from before the restart`);
  let stopping: Promise<void> | undefined;
  return {
    client,
    jobs,
    history,
    stop: () =>
      (stopping ??= (async () => {
        await jobs.shutdown();
        await client.destroy();
        history.close();
      })()),
  };
}
