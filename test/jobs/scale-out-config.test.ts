/** The two scale-out variables in src/config.ts: REDIS_URL and METRICS_PORT. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretsOf } from '../../src/config.js';

describe('REDIS_URL and METRICS_PORT', () => {
  it('are off when unset: one process, no metrics server', () => {
    const c = loadConfig({});
    expect(c.redis).toBeUndefined();
    expect(c.metricsPort).toBeUndefined();
    expect(loadConfig({ REDIS_URL: '', METRICS_PORT: ' ' }).redis).toBeUndefined();
  });

  it('accept redis:// and rediss:// URLs and a port from 0 to 65535', () => {
    const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', METRICS_PORT: '9464' });
    expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379/2' });
    expect(c.metricsPort).toBe(9464);
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example.com:6380' }).redis?.url).toBe('rediss://cache.example.com:6380');
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('refuse other URLs and ports in one line naming the variable, without echoing a password', () => {
    for (const bad of ['http://127.0.0.1:6379', 'redis://', 'localhost:6379', 'redis://:hunter22@']) {
      const error = (() => {
        try {
          loadConfig({ REDIS_URL: bad });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe('Invalid REDIS_URL: must be a redis:// or rediss:// URL with a host');
    }
    expect(() => loadConfig({ METRICS_PORT: '65536' })).toThrow(/^Invalid METRICS_PORT: /);
    expect(() => loadConfig({ METRICS_PORT: 'abc' })).toThrow(/^Invalid METRICS_PORT: /);
  });

  it('count the Redis password among the secrets, as written and decoded', () => {
    const c = loadConfig({ REDIS_URL: 'redis://default:pa%40ss-word@10.0.0.5:6379' });
    expect(secretsOf(c)).toEqual(['pa%40ss-word', 'pa@ss-word']);
    expect(secretsOf(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379' }))).toEqual([]);
  });
});
