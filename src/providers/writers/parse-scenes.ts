/**
 * An LLM's answer -> a validated script. Models wrap JSON in prose or code fences, break it, and
 * return too many or too few scenes or empty fields: each of those is a clear reason, which the
 * writer sends back once as a repair request.
 */
import { z } from 'zod';
import { MAX_SCENES } from '../../engine/types.js';

const sceneSchema = z.object({
  narration: z.string().trim().min(1, 'a scene has an empty narration'),
  imagePrompt: z.string().trim().min(1, 'a scene has an empty imagePrompt'),
});

const answerSchema = z.object({
  title: z.string().trim().optional(),
  visualBrief: z.string().trim().optional(),
  scenes: z.array(sceneSchema).min(1, 'there are no scenes').max(MAX_SCENES, `there are more than ${MAX_SCENES} scenes`),
});

export type ParsedAnswer = z.infer<typeof answerSchema>;

/** The first balanced {...} in the text, tolerating ```json fences and prose around it. */
export function extractJson(text: string): string | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const source = fenced ? fenced[1]! : text;
  const start = source.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  return undefined;
}

export function parseSceneAnswer(text: string, wantedScenes?: number): { ok: true; value: ParsedAnswer } | { ok: false; reason: string } {
  const json = extractJson(text);
  if (!json) return { ok: false, reason: 'the answer holds no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, reason: `the JSON is broken (${(error as Error).message})` };
  }
  const parsed = answerSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: issue.message.startsWith('a scene') || issue.message.startsWith('there') ? issue.message : `${issue.path.join('.') || 'answer'}: ${issue.message}` };
  }
  if (wantedScenes !== undefined && parsed.data.scenes.length !== wantedScenes) {
    return { ok: false, reason: `there are ${parsed.data.scenes.length} scenes, ${wantedScenes} were asked for` };
  }
  return { ok: true, value: parsed.data };
}
