/**
 * The quick start's apt line installs what `npm test` needs: every system package .ci/run installs
 * for the suite (redis-server included: the worker-mode tests start their own).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const ci = readFileSync(join(root, '.ci/run'), 'utf8');

describe('README quick start', () => {
  it('its apt line installs every package CI installs for the tests', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('```sh'));
    const line = /sudo apt-get install ([^`]+)`/.exec(quickStart.replace(/\n/g, ' '))?.[1] ?? '';
    const installed = new Set(line.trim().split(/\s+/));
    // .ci/run: `need+=(pkg)` for each missing program or font (fontconfig and DejaVu come with any desktop font setup).
    const needed = [...ci.matchAll(/need\+=\(([\w-]+)\)/g)]
      .map((m) => m[1]!)
      .filter((p) => !['fontconfig', 'fonts-dejavu-core', 'git'].includes(p));
    expect(needed).toContain('redis-server');
    expect(needed.filter((p) => !installed.has(p))).toEqual([]);
  });
});
