/**
 * Start-up shared by every entry point: .env read once, config validated, secrets registered
 * with the logger, the ffmpeg binaries found. Each failure is one clear line (thrown).
 */
import dotenv from 'dotenv';
import { CONFIG_VARIABLES, loadConfig, secretsOf, type Config } from './config.js';
import { registerSecrets, setLogLevel } from './core/log.js';
import { resolveFfmpeg, type FfmpegBinaries } from './media/binaries.js';

/** Variables read by libraries themselves (discord.js's Client): an empty one must not reach them either. */
const LIBRARY_VARIABLES = ['SHARDS', 'SHARD_COUNT', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE'];

/**
 * `KEY=` in .env (every line of .env.example that is left blank) means "not set", for our config
 * and for any library that reads the environment itself: empty ones are removed.
 */
export function dropEmptyVariables(env: NodeJS.ProcessEnv): void {
  for (const name of [...CONFIG_VARIABLES, ...LIBRARY_VARIABLES]) {
    if (name in env && !env[name]?.trim()) delete env[name];
  }
}

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): { config: Config; ffmpeg: FfmpegBinaries } {
  if (env === process.env) dotenv.config({ quiet: true });
  dropEmptyVariables(env);
  const config = loadConfig(env);
  registerSecrets(secretsOf(config));
  setLogLevel(config.logLevel);
  const ffmpeg = resolveFfmpeg(config.ffmpeg);
  return { config, ffmpeg };
}
