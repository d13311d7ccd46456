/**
 * A scene writer on any OpenAI-compatible chat endpoint: asks for JSON scenes plus a short visual
 * brief of the recurring characters and setting; checks the answer; asks once for a repair; and
 * when that fails too, the offline writer stands in and the script says why.
 */
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { SceneWriter, Script, WriteRequest } from '../types.js';
import { ProviderError } from '../errors.js';
import { httpRequest } from '../http.js';
import { parseSceneAnswer } from './parse-scenes.js';
import { describeError, isAbort } from '../../engine/retry.js';

export type OpenAiConfig = Config['writer']['openai'];

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

export function systemPrompt(req: WriteRequest): string {
  const count = req.scenes ? `exactly ${req.scenes} scenes` : 'between 3 and 12 scenes (more only for long stories, never more than 20)';
  return [
    'You turn a story into a narrated short video script.',
    `Cut the story into ${count}, in order, keeping the story's own words for the narration (light edits only; same language as the story).`,
    'For each scene write an imagePrompt: a concrete visual description of one frame (subject, setting, lighting), in English, no text or captions in the image.',
    'Also write a visualBrief: one or two sentences describing the recurring characters and setting, so every image looks like the same story.',
    `The video is ${req.aspect}.${req.style ? ` Visual style: ${req.style}.` : ''}`,
    'Answer with JSON only: {"title": string, "visualBrief": string, "scenes": [{"narration": string, "imagePrompt": string}]}',
  ].join('\n');
}

export class OpenAiSceneWriter implements SceneWriter {
  readonly name = 'openai';

  constructor(
    private readonly cfg: OpenAiConfig,
    private readonly fallback: SceneWriter,
  ) {}

  async write(req: WriteRequest): Promise<Script> {
    const messages: Message[] = [
      { role: 'system', content: systemPrompt(req) },
      { role: 'user', content: req.story },
    ];
    let reason: string;
    try {
      const first = await this.complete(messages, req.signal);
      const parsed = parseSceneAnswer(first, req.scenes);
      if (parsed.ok) return this.script(parsed.value);
      reason = parsed.reason;
      messages.push({ role: 'assistant', content: first }, { role: 'user', content: `That answer cannot be used: ${reason}. Answer again with the corrected JSON only.` });
      const second = await this.complete(messages, req.signal);
      const repaired = parseSceneAnswer(second, req.scenes);
      if (repaired.ok) return this.script(repaired.value);
      reason = `its answer was unusable twice (${repaired.reason})`;
    } catch (error) {
      if (isAbort(error, req.signal)) throw error;
      reason = describeError(error);
    }
    const script = await this.fallback.write(req);
    return { ...script, fallbackReason: `${this.name} writer: ${reason}; the offline writer cut the scenes` };
  }

  private script(answer: { title?: string; visualBrief?: string; scenes: { narration: string; imagePrompt: string }[] }): Script {
    return {
      title: answer.title || answer.scenes[0]!.narration.slice(0, 80),
      visualBrief: answer.visualBrief || undefined,
      writer: this.name,
      scenes: answer.scenes.map((s, index) => ({ index, narration: s.narration, imagePrompt: s.imagePrompt })),
    };
  }

  private async complete(messages: Message[], signal?: AbortSignal): Promise<string> {
    const res = await httpRequest({
      provider: this.name,
      url: `${this.cfg.baseUrl}/v1/chat/completions`,
      method: 'POST',
      headers: { authorization: `Bearer ${this.cfg.apiKey ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: this.cfg.model, messages, temperature: 0.4, response_format: { type: 'json_object' } }),
      timeoutMs: this.cfg.timeoutMs,
      signal,
    });
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ProviderError(`${this.name} answered with something that is not JSON`, { provider: this.name, retryable: true });
    }
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) throw new ProviderError(`${this.name} answered without a message`, { provider: this.name, retryable: true });
    return parsed.data.choices[0]!.message.content ?? '';
  }
}
