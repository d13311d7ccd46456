import { describe, expect, it } from 'vitest';
import { loadConfig, secretsOf, ConfigError } from '../src/config.js';

describe('loadConfig', () => {
  it('with nothing set, everything is offline with sane limits', () => {
    const c = loadConfig({});
    expect(c.images.provider).toBe('local');
    expect(c.voices.provider).toBe('espeak');
    expect(c.writer.provider).toBe('local');
    expect(c.limits).toMatchObject({ defaultMaxBytes: 10 * 1024 * 1024, jobsPerGuild: 1, queuePerGuild: 5 });
  });

  it('uses a service automatically when its key or URL is set', () => {
    const c = loadConfig({
      POLLINATIONS_API_KEY: 'sk_abc',
      INWORLD_API_KEY: 'abcd',
      LLM_BASE_URL: 'http://127.0.0.1:9/',
      LLM_API_KEY: 'k123',
    });
    expect(c.images.provider).toBe('pollinations');
    expect(c.images.pollinations.mode).toBe('gateway');
    expect(c.images.pollinations.concurrency).toBe(10);
    expect(c.voices.provider).toBe('inworld');
    expect(c.writer.provider).toBe('openai');
    expect(c.writer.openai.baseUrl).toBe('http://127.0.0.1:9');
    expect(secretsOf(c)).toEqual(['sk_abc', 'abcd', 'k123']);
  });

  it('anonymous Pollinations is one request at a time on the legacy endpoint', () => {
    const c = loadConfig({ IMAGE_PROVIDER: 'pollinations' });
    expect(c.images.pollinations).toMatchObject({ mode: 'legacy', concurrency: 1, baseUrl: 'https://image.pollinations.ai' });
  });

  it.each([
    [{ MAX_JOBS_PER_GUILD: 'lots' }, /^Invalid MAX_JOBS_PER_GUILD: .*\(got "lots"\)$/],
    [{ IMAGE_PROVIDER: 'dalle' }, /^Invalid IMAGE_PROVIDER/],
    [{ POLLINATIONS_BASE_URL: 'ftp://x' }, /^Invalid POLLINATIONS_BASE_URL/],
    [{ DISCORD_APPLICATION_ID: '12' }, /^Invalid DISCORD_APPLICATION_ID: must be a Discord snowflake/],
    [{ VOICE_PROVIDER: 'inworld' }, /^Invalid INWORLD_API_KEY: required/],
  ])('a bad value is one line naming the variable: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret value in its error', () => {
    try {
      loadConfig({ DISCORD_TOKEN: 'x'.repeat(5), POLLINATIONS_CONCURRENCY: '0' });
    } catch (error) {
      expect((error as Error).message).not.toContain('xxxxx');
    }
  });
});

describe('METRICS_HOST', () => {
  it('is loopback unless set, and must be an address', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(loadConfig({}).metricsHost).toBe('127.0.0.1');
    expect(loadConfig({ METRICS_HOST: '0.0.0.0' }).metricsHost).toBe('0.0.0.0');
    expect(() => loadConfig({ METRICS_HOST: 'http://x' })).toThrow(/METRICS_HOST/);
  });
});
