#!/usr/bin/env node
/**
 * Run by npm before `npm start`, `npm run worker` and `npm run deploy-commands` (their "pre"
 * scripts), which run the compiled dist/: when the entry point given is missing, or older than
 * any source it is built from (src/, commands/, the tsconfig files, package.json), it runs
 * `npm run build` first and says so in one line. When that build cannot run (say, the
 * development dependencies were left out), one line says what to run, with exit code 1.
 * Plain JavaScript: it must run where only the production dependencies are installed.
 *
 *   node scripts/ensure-build.mjs dist/src/bot/main.js
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = resolve(root, process.argv[2] ?? 'dist/src/bot/main.js');
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time of a file or of any file under a folder (0 when absent). */
function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
  return latest;
}

function builtAt() {
  try {
    return statSync(entry).mtimeMs;
  } catch {
    return undefined;
  }
}

const built = builtAt();
const sources = Math.max(...SOURCES.map((s) => newest(join(root, s))));
if (built !== undefined && built >= sources) process.exit(0);

const shown = relative(root, entry);
console.error(
  built === undefined
    ? `storyreel: ${shown} is not built yet: running npm run build first`
    : `storyreel: the sources changed since ${shown} was built: running npm run build first`,
);
// The build's output goes to stderr: stdout is the started program's (the CLI's --json, say).
const npm = process.env.npm_execpath;
const build = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
if (build.status === 0 && builtAt() !== undefined) process.exit(0);
console.error(
  'storyreel: the build failed (see above): run `npm ci` (the build needs the development dependencies) and `npm run build`, then start again',
);
process.exit(1);
