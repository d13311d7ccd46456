/** Sealed job tickets: whole, bound to their job, and readable after an upgrade. */
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from '../../src/jobs/seal.js';
import { loadConfig, secretsOf, ticketSecret } from '../../src/config.js';

const sealer = createSealer('a bot token of some length');

describe('createSealer', () => {
  it('opens what it sealed for the same job, and nothing is readable in the sealed text', () => {
    const sealed = sealer.seal('{"token":"interaction-secret"}', 'job0001');
    expect(sealed).not.toContain('interaction-secret');
    expect(sealer.open(sealed, 'job0001')).toBe('{"token":"interaction-secret"}');
  });

  it('refuses a ticket opened as another job (the job id is the associated data)', () => {
    const sealed = sealer.seal('{"a":1}', 'job0001');
    expect(() => sealer.open(sealed, 'job0002')).toThrow();
  });

  it('refuses a truncated authentication tag (a 4-byte tag once passed)', () => {
    const [v, iv, tag, body] = sealer.seal('{"a":1}', 'job0001').split('.');
    const short = Buffer.from(tag!, 'base64').subarray(0, 4).toString('base64');
    expect(() => sealer.open([v, iv, short, body].join('.'), 'job0001')).toThrow(/not a whole sealed ticket/);
  });

  it('refuses a tampered body and a ticket sealed with another key', () => {
    const [v, iv, tag, body] = sealer.seal('{"a":1}', 'job0001').split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0]! ^= 1;
    expect(() => sealer.open([v, iv, tag, flipped.toString('base64')].join('.'), 'job0001')).toThrow();
    expect(() => createSealer('another key entirely').open(sealer.seal('{"a":1}', 'job0001'), 'job0001')).toThrow();
  });

  it('still opens a ticket of the previous release (v1, no associated data): queued jobs survive an upgrade', () => {
    const key = Buffer.from(hkdfSync('sha256', 'a bot token of some length', 'storyreel', 'job ticket v1', 32));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update('{"old":true}', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    expect(sealer.open(v1, 'job0001')).toBe('{"old":true}');
  });
});

describe('TICKET_KEY', () => {
  it('seals tickets when set (so the bot token can be rotated), the bot token otherwise; it is a secret', () => {
    const base = { REDIS_URL: 'redis://127.0.0.1:6379', DISCORD_TOKEN: 'bot-token-value' };
    expect(ticketSecret(loadConfig(base))).toBe('bot-token-value');
    const config = loadConfig({ ...base, TICKET_KEY: 'a-ticket-key-of-32-characters-xx' });
    expect(ticketSecret(config)).toBe('a-ticket-key-of-32-characters-xx');
    expect(secretsOf(config)).toContain('a-ticket-key-of-32-characters-xx');
    expect(() => loadConfig({ ...base, TICKET_KEY: 'short' })).toThrow(/TICKET_KEY: must be at least 16 characters$/);
  });
});
