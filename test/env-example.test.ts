/**
 * .env.example (issue 12, item 13): every comment on its own line (systemd's EnvironmentFile= and
 * docker --env-file keep a trailing "# ..." as part of the value), every variable known to the
 * config, and the file as shipped is a valid configuration.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { loadConfig } from '../src/config.js';

const text = readFileSync(join(import.meta.dirname, '..', '.env.example'), 'utf8');

describe('.env.example', () => {
  it('has no comment on a value line', () => {
    const offenders = text.split('\n').filter((l) => /^[A-Z_]+=.*#/.test(l));
    expect(offenders).toEqual([]);
  });

  it('loads as a valid configuration, and marks the Discord API base as a testing setting', () => {
    const env = dotenv.parse(text);
    expect(() => loadConfig({ ...env, IMAGE_PROVIDER: 'local' })).not.toThrow();
    expect(text).toMatch(/# Testing only: .*\n(#.*\n)*DISCORD_API_BASE=/);
  });
});
