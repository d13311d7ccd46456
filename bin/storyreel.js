#!/usr/bin/env node
/**
 * `storyreel`: the command line of `npm run story`, compiled (package.json's "bin"; `npm link`
 * puts it on PATH). `storyreel --version` prints the version. Everything else goes to the CLI,
 * built first when dist/ is missing or older than the sources (scripts/ensure-build.mjs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  process.stdout.write(`storyreel ${version}\n`);
  process.exit(0);
}
const entry = 'dist/src/cli/story.js';
const ensured = spawnSync(process.execPath, [join(root, 'scripts/ensure-build.mjs'), entry], { stdio: ['ignore', 'inherit', 'inherit'] });
if (ensured.status !== 0) process.exit(ensured.status ?? 1);
await import(pathToFileURL(join(root, entry)).href);
