/**
 * Start-up shared by every entry point: .env read once, config validated, secrets registered
 * with the logger, the ffmpeg binaries found. Each failure is one clear line (thrown).
 */
import dotenv from 'dotenv';
import { loadConfig, secretsOf, type Config } from './config.js';
import { registerSecrets, setLogLevel } from './core/log.js';
import { resolveFfmpeg, type FfmpegBinaries } from './media/binaries.js';

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): { config: Config; ffmpeg: FfmpegBinaries } {
  if (env === process.env) dotenv.config({ quiet: true });
  const config = loadConfig(env);
  registerSecrets(secretsOf(config));
  setLogLevel(config.logLevel);
  const ffmpeg = resolveFfmpeg(config.ffmpeg);
  return { config, ffmpeg };
}
