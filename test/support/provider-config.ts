/** Provider configs pointed at fakes, from the real config loader (so defaults match production). */
import { loadConfig } from '../../src/config.js';

export const TEST_KEYS = {
  pollinations: 'sk_test_POLLI_SECRET_123',
  inworld: 'aW53b3JsZC10ZXN0LXNlY3JldC1rZXk=',
  llm: 'sk-test-LLM-SECRET-456',
};

/** Where nothing listens on this machine: a start-up image check pointed here falls back to local cards at once. */
export const CLOSED_LOCAL_URL = 'http://127.0.0.1:9';

export function fakeConfig(urls: { pollinations?: string; inworld?: string; llm?: string }, extra: Record<string, string> = {}) {
  // Images explicit unless the test is about them, so no config built here ever waits for the
  // start-up check of IMAGE_PROVIDER=auto (which would ask the real Pollinations).
  const aboutImages =
    urls.pollinations !== undefined || Object.keys(extra).some((k) => k === 'IMAGE_PROVIDER' || k.startsWith('POLLINATIONS_'));
  return loadConfig({
    ...(aboutImages ? {} : { IMAGE_PROVIDER: 'local' }),
    ...(urls.pollinations ? { POLLINATIONS_BASE_URL: urls.pollinations, POLLINATIONS_API_KEY: TEST_KEYS.pollinations } : {}),
    ...(urls.inworld ? { INWORLD_BASE_URL: urls.inworld, INWORLD_API_KEY: TEST_KEYS.inworld } : {}),
    ...(urls.llm ? { LLM_BASE_URL: urls.llm, LLM_API_KEY: TEST_KEYS.llm } : {}),
    // A Pollinations key alone makes Pollinations write the scenes too (issue 16): tests of images
    // keep the offline writer unless they set SCENE_WRITER themselves.
    ...(urls.pollinations && !urls.llm ? { SCENE_WRITER: 'local' } : {}),
    ...extra,
  });
}
