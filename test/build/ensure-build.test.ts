/**
 * `npm start`, `npm run worker` and `npm run deploy-commands` before `npm run build` (issue 24,
 * item 14): the compiled entry point is built first when missing or older than the sources, with
 * one line saying so, and when the build cannot run one line says what to run (no
 * MODULE_NOT_FOUND stack). Real npm in a temp project that carries package.json's own scripts
 * (prestart & co.) and scripts/ensure-build.mjs, with a stand-in build that is quick: it writes
 * each entry point (and counts its runs).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const ENTRIES = ['dist/src/bot/main.js', 'dist/src/worker/main.js', 'dist/src/bot/deploy-commands.js', 'dist/src/cli/story.js'];
let dir: string;

const STAND_IN_BUILD = `
const fs = require('node:fs');
if (process.env.BUILD_FAILS) { console.error('tsc: not found'); process.exit(127); }
fs.appendFileSync('builds.log', 'built\\n');
for (const e of ${JSON.stringify(ENTRIES)}) {
  fs.mkdirSync(require('node:path').dirname(e), { recursive: true });
  fs.writeFileSync(e, 'console.log("running " + ' + JSON.stringify(e) + ' + " " + process.argv.slice(2).join(" "));');
}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-ensure-build-'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts/ensure-build.mjs'), join(dir, 'scripts/ensure-build.mjs'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(ROOT, 'bin/storyreel.js'), join(dir, 'bin/storyreel.js'));
  mkdirSync(join(dir, 'src/bot'), { recursive: true });
  writeFileSync(join(dir, 'src/bot/main.ts'), 'export {};\n');
  writeFileSync(join(dir, 'build.cjs'), STAND_IN_BUILD);
  const scripts: Record<string, string> = { build: 'node build.cjs' };
  for (const name of ['start', 'worker', 'deploy-commands']) {
    scripts[name] = ours.scripts[name]!;
    scripts[`pre${name}`] = ours.scripts[`pre${name}`]!;
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 't', version: '9.8.7', private: true, type: 'module', scripts }, null, 2),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (script: string, env: Record<string, string> = {}) => {
  const r = spawnSync('npm', ['run', '--silent', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
};
const builds = () => {
  try {
    return readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe('the compiled entry points build themselves first', () => {
  it('package.json runs the check before each of them', () => {
    for (const [name, entry] of [
      ['start', 'dist/src/bot/main.js'],
      ['worker', 'dist/src/worker/main.js'],
      ['deploy-commands', 'dist/src/bot/deploy-commands.js'],
    ] as const) {
      expect(ours.scripts[name]).toContain(entry);
      expect(ours.scripts[`pre${name}`]).toBe(`node scripts/ensure-build.mjs ${entry}`);
    }
  });

  it('when the build cannot run: one line says what to run; no stack', () => {
    const r = npm('start', { BUILD_FAILS: '1' });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/storyreel: .*not built yet: running npm run build first/);
    expect(r.output).toMatch(/^storyreel: the build failed .*`npm ci`.*`npm run build`.*$/m);
    expect(r.output).not.toMatch(/MODULE_NOT_FOUND|at Module\.|node:internal/);
    expect(builds()).toBe(0);
  });

  it('no dist/: npm start builds, then starts', () => {
    const r = npm('start');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/not built yet: running npm run build first/);
    expect(r.output).toMatch(/running dist\/src\/bot\/main\.js/);
    expect(builds()).toBe(1);
  });

  it('built and newer than the sources: the worker starts without building', () => {
    const r = npm('worker');
    expect(r.status, r.output).toBe(0);
    expect(r.output).not.toMatch(/npm run build/);
    expect(r.output).toMatch(/running dist\/src\/worker\/main\.js/);
    expect(builds()).toBe(1);
  });

  it('a source changed since the build: deploy-commands builds again first', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'src/bot/main.ts'), later, later);
    const r = npm('deploy-commands');
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/sources changed since dist\/src\/bot\/deploy-commands\.js was built/);
    expect(r.output).toMatch(/running dist\/src\/bot\/deploy-commands\.js/);
    expect(builds()).toBe(2);
  });

  it('`storyreel --version` prints the version; other arguments go to the compiled CLI', () => {
    expect((ours as { bin?: Record<string, string> }).bin).toEqual({ storyreel: 'bin/storyreel.js' });
    const version = spawnSync(process.execPath, [join(dir, 'bin/storyreel.js'), '--version'], { encoding: 'utf8' });
    expect(version.stdout).toBe('storyreel 9.8.7\n');
    expect(version.status).toBe(0);
    const cli = spawnSync(process.execPath, [join(dir, 'bin/storyreel.js'), '--in', 'a.txt', '--out', 'a.mp4'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toBe('running dist/src/cli/story.js --in a.txt --out a.mp4\n');
  });
});
