/**
 * Fake OpenAI-compatible chat endpoint (`POST /v1/chat/completions`, Bearer key) that writes scenes,
 * answering in the chat.completion shape with OpenAI's error bodies (`{error:{message,type,code}}`,
 * a wrong key echoed masked, json_object mode refused unless a message says "JSON").
 * The scene count is read from "exactly N scenes" in the system message (else `scenes`, default 3).
 * Scripted kinds: 'good' (default), 'prose' (JSON inside prose), 'fence' (```json), 'broken',
 * 'too-many', 'too-few', 'empty-field', 'refusal', 'cut-off' (finish_reason length), 'no-choices', 'huge'
 * (every narration 200 times over),
 * plus the shared statuses, 'hang' and 'reset'. The record shows every request (and so any repair).
 * `chatRoute` puts the same endpoint in front of another fake (Pollinations' gateway: one host for
 * images and chat, one key).
 */
import {
  jsonReply,
  startFakeServer,
  type FakeReply,
  type FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type ScriptStep,
} from './providers.js';

export interface FakeLlmOptions extends FakeServerOptions {
  apiKey: string;
  /** Scenes in an answer when the system message asks for no exact count. */
  scenes?: number;
  /** A cast to answer with: each member's name goes into the image prompts of its `scenes` (0-based). */
  cast?: FakeCastMember[];
  /** The story-wide look to answer with (with a cast). */
  look?: string;
}

export interface FakeCastMember {
  name: string;
  description: string;
  scenes: number[];
}

interface ChatBody {
  model?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
  response_format?: { type?: unknown };
}

const errorReply = (status: number, message: string, code: string | null = null): FakeReply =>
  jsonReply(status, {
    error: {
      message,
      type: status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error',
      param: null,
      code,
    },
  });

/** OpenAI shows a wrong key as its first 3 and last 4 characters. */
const mask = (key: string) => (key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '***');

export const FAKE_TITLE = 'The Fake Story';
export const FAKE_BRIEF = 'a red fox with a green scarf, snowy pine forest at dusk';

function scenesFor(story: string, count: number) {
  const sentences = story
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return Array.from({ length: count }, (_, i) => ({
    narration: sentences[i % Math.max(1, sentences.length)] ?? `Scene ${i + 1}.`,
    imagePrompt: `a detailed picture of scene ${i + 1}, warm light`,
  }));
}

function completion(content: string | null, finishReason = 'stop', refusal: string | null = null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: finishReason }],
    usage: { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300 },
  };
}

/** Checked on arrival: the path and the Bearer key (OpenAI's 401 bodies). */
export function admitChat(req: RecordedRequest, apiKey: string): FakeReply | undefined {
  if (req.method !== 'POST' || req.path !== '/v1/chat/completions') return errorReply(404, `Invalid URL (${req.method} ${req.path})`);
  const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  if (!key) return errorReply(401, "You didn't provide an API key.");
  if (key !== apiKey) return errorReply(401, `Incorrect API key provided: ${mask(key)}.`, 'invalid_api_key');
  return undefined;
}

/** The answer to an admitted chat request, shaped by its scripted step. */
export function answerChat(
  req: RecordedRequest,
  step: ScriptStep | undefined,
  defaultScenes?: number,
  cast?: Pick<FakeLlmOptions, 'cast' | 'look'>,
): FakeReply {
  let body: ChatBody;
  try {
    body = JSON.parse(req.body) as ChatBody;
  } catch {
    return errorReply(400, 'We could not parse the JSON body of your request.');
  }
  const messages = body.messages;
  if (typeof body.model !== 'string' || !Array.isArray(messages) || messages.length === 0)
    return errorReply(400, "'model' and 'messages' are required.");
  const texts = messages.map((m) => (typeof m.content === 'string' ? m.content : ''));
  if (body.response_format?.type === 'json_object' && !texts.some((t) => /json/i.test(t))) {
    return errorReply(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.");
  }
  const system = messages.find((m) => m.role === 'system')?.content;
  const user = String(messages.find((m) => m.role === 'user')?.content ?? '');
  const story = /<story>\s*([\s\S]*?)\s*<\/story>/.exec(user)?.[1] ?? user;
  const wanted = Number(/exactly (\d+) scenes/.exec(String(system ?? ''))?.[1] ?? defaultScenes ?? 3);
  const scenes = scenesFor(story, wanted).map((scene, i) => {
    const who = (cast?.cast ?? []).filter((m) => m.scenes.includes(i)).map((m) => m.name);
    return who.length > 0 ? { ...scene, imagePrompt: `${who.join(' and ')} in ${scene.imagePrompt}` } : scene;
  });
  const answer = {
    title: FAKE_TITLE,
    visualBrief: FAKE_BRIEF,
    ...(cast?.cast ? { look: cast.look, cast: cast.cast.map(({ name, description }) => ({ name, description })) } : {}),
    scenes,
  };
  const json = JSON.stringify(answer);
  switch (step?.kind) {
    case 'prose':
      return jsonReply(200, completion(`Sure! Here is your script: {as asked}\n${json}\nEnjoy the video.`));
    case 'fence':
      return jsonReply(200, completion('Here you go:\n```json\n' + JSON.stringify(answer, null, 2) + '\n```'));
    case 'broken':
      return jsonReply(200, completion(json.replace(/"scenes":/, '"scenes" ').slice(0, -3)));
    case 'too-many':
      return jsonReply(200, completion(JSON.stringify({ ...answer, scenes: scenesFor(story, wanted + 3) })));
    case 'too-few':
      return jsonReply(200, completion(JSON.stringify({ ...answer, scenes: scenesFor(story, Math.max(1, wanted - 1)) })));
    case 'empty-field':
      return jsonReply(
        200,
        completion(JSON.stringify({ ...answer, scenes: answer.scenes.map((s, i) => (i === 0 ? { ...s, imagePrompt: '  ' } : s)) })),
      );
    case 'refusal':
      return jsonReply(200, completion(null, 'stop', "I'm sorry, I can't help with that."));
    case 'cut-off':
      return jsonReply(200, completion(json.slice(0, Math.floor(json.length / 2)), 'length'));
    case 'no-choices':
      return jsonReply(200, { ...completion(''), choices: [] });
    case 'huge':
      // every scene's narration the story's sentence said 200 times: far more than the story
      return jsonReply(
        200,
        completion(
          JSON.stringify({ ...answer, scenes: answer.scenes.map((s) => ({ ...s, narration: `${s.narration} `.repeat(200).trim() })) }),
        ),
      );
    default:
      return jsonReply(200, completion(json));
  }
}

/**
 * The chat endpoint in front of another fake (Pollinations' gateway serves images and chat on one
 * host), for startRoutingProxy: chat requests are answered here, checked against `apiKey`; the
 * route passes anything else on (undefined). Scripted steps of the proxy apply to its requests in order.
 */
export function chatRoute(apiKey: string, defaultScenes?: number): (req: RecordedRequest) => FakeReply | undefined {
  return (req) => (req.path === '/v1/chat/completions' ? (admitChat(req, apiKey) ?? answerChat(req, req.step, defaultScenes)) : undefined);
}

export function startFakeLlm(options: FakeLlmOptions): Promise<FakeServer> {
  return startFakeServer(
    {
      errorReply,
      admit: (req) => admitChat(req, options.apiKey),
      handle: (req, { step }) => answerChat(req, step, options.scenes, options),
    },
    options,
  );
}
