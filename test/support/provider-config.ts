/** Provider configs pointed at fakes, from the real config loader (so defaults match production). */
import { loadConfig } from '../../src/config.js';

export const TEST_KEYS = {
  pollinations: 'sk_test_POLLI_SECRET_123',
  inworld: 'aW53b3JsZC10ZXN0LXNlY3JldC1rZXk=',
  llm: 'sk-test-LLM-SECRET-456',
};

export function fakeConfig(urls: { pollinations?: string; inworld?: string; llm?: string }, extra: Record<string, string> = {}) {
  return loadConfig({
    ...(urls.pollinations ? { POLLINATIONS_BASE_URL: urls.pollinations, POLLINATIONS_API_KEY: TEST_KEYS.pollinations } : {}),
    ...(urls.inworld ? { INWORLD_BASE_URL: urls.inworld, INWORLD_API_KEY: TEST_KEYS.inworld } : {}),
    ...(urls.llm ? { LLM_BASE_URL: urls.llm, LLM_API_KEY: TEST_KEYS.llm } : {}),
    // A Pollinations key alone makes Pollinations write the scenes too (issue 16): tests of images
    // keep the offline writer unless they set SCENE_WRITER themselves.
    ...(urls.pollinations && !urls.llm ? { SCENE_WRITER: 'local' } : {}),
    ...extra,
  });
}
