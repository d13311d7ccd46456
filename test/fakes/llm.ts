/**
 * Fake OpenAI-compatible chat endpoint that writes scenes. Scripted answers by kind: 'good'
 * (default), 'prose' (JSON inside prose), 'fence' (```json), 'broken', 'too-many', 'too-few',
 * 'empty-field'; plus 401 for a bad key and scripted statuses.
 */
import { startFakeService, jsonError, type FakeService, type FakeServiceOptions } from './fake-service.js';

export interface FakeLlmOptions extends FakeServiceOptions {
  apiKey: string;
}

function scenesFor(story: string, count: number) {
  const sentences = story.split(/(?<=[.!?])\s+/).filter(Boolean);
  return Array.from({ length: count }, (_, i) => ({
    narration: sentences[i % sentences.length] ?? `Scene ${i + 1}.`,
    imagePrompt: `a detailed picture of scene ${i + 1}`,
  }));
}

export function startFakeLlm(options: FakeLlmOptions): Promise<FakeService> {
  return startFakeService(async (req, step) => {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return jsonError(404, 'not found');
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return jsonError(401, 'Incorrect API key provided');
    const body = JSON.parse(req.body) as { messages: { role: string; content: string }[] };
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const story = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const wanted = Number(/exactly (\d+) scenes/.exec(system)?.[1] ?? 3);
    const answer = { title: 'The Fake Story', visualBrief: 'a red fox with a green scarf, snowy pine forest', scenes: scenesFor(story, wanted) };
    const json = JSON.stringify(answer);
    const content = (() => {
      switch (step?.kind) {
        case 'prose':
          return `Sure! Here is your script:\n${json}\nEnjoy.`;
        case 'fence':
          return '```json\n' + json + '\n```';
        case 'broken':
          return json.slice(0, json.length - 10);
        case 'too-many':
          return JSON.stringify({ ...answer, scenes: scenesFor(story, wanted + 3) });
        case 'too-few':
          return JSON.stringify({ ...answer, scenes: scenesFor(story, Math.max(1, wanted - 1)) });
        case 'empty-field':
          return JSON.stringify({ ...answer, scenes: answer.scenes.map((s, i) => (i === 0 ? { ...s, imagePrompt: '  ' } : s)) });
        default:
          return json;
      }
    })();
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }),
    };
  }, options);
}
