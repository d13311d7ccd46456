/**
 * An LLM's answer -> a validated script. Models wrap JSON in prose or ```json fences, break it,
 * return too many or too few scenes, or leave fields empty: each of those becomes one short reason,
 * which the writer sends back once as a repair request. Pure: text in, verdict out.
 *
 * Scene count: when a count was asked for, exactly that many scenes are accepted (no +-1): the
 * user picked the number, progress shows it, and the offline writer can always honour it.
 * Without a count, 1..MAX_SCENES.
 */
import { z } from 'zod';
import { MAX_SCENES } from '../../core/story.js';

const MAX_TITLE = 100;
const MAX_BRIEF = 400;
const MAX_IMAGE_PROMPT = 600;

/** Trimmed, inner whitespace collapsed, cut at `max` characters (never rejected for length). */
const text = (max: number) =>
  z.string().transform((s) => {
    const clean = s.replace(/\s+/g, ' ').trim();
    return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
  });

const sceneSchema = z.object({
  narration: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'a scene has an empty narration')),
  imagePrompt: text(MAX_IMAGE_PROMPT).pipe(z.string().min(1, 'a scene has an empty imagePrompt')),
});

const MAX_NAME = 60;
const MAX_DESCRIPTION = 240;
const MAX_LOOK = 300;
/** More than this many named characters is a list of everyone, not a cast. */
export const MAX_CAST_LISTED = 8;

const memberSchema = z.object({
  name: text(MAX_NAME).pipe(z.string().min(1)),
  description: text(MAX_DESCRIPTION).pipe(z.string().min(1)),
});

/**
 * The cast is an extra: a malformed one (not an array, a member without a name or description, a
 * name twice) is dropped member by member, never a reason to reject the scenes.
 */
const castSchema = z
  .array(z.unknown())
  .optional()
  .catch(undefined)
  .transform((list) => {
    const members: z.infer<typeof memberSchema>[] = [];
    for (const item of list ?? []) {
      const member = memberSchema.safeParse(item);
      if (!member.success) continue;
      const key = member.data.name.toLocaleLowerCase();
      if (!members.some((m) => m.name.toLocaleLowerCase() === key)) members.push(member.data);
    }
    return members.slice(0, MAX_CAST_LISTED);
  });

const answerSchema = z.object({
  title: text(MAX_TITLE).optional(),
  visualBrief: text(MAX_BRIEF).optional(),
  look: text(MAX_LOOK).optional().catch(undefined),
  cast: castSchema,
  scenes: z
    .array(sceneSchema, 'there is no "scenes" array')
    .min(1, 'there are no scenes')
    .max(MAX_SCENES, `there are more than ${MAX_SCENES} scenes`),
});

export type ParsedAnswer = z.infer<typeof answerSchema>;
export type AnswerCheck = { ok: true; value: ParsedAnswer } | { ok: false; reason: string };

/** The balanced {...} starting at `start`, skipping braces inside strings. */
function balancedObject(source: string, start: number): string | undefined {
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

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

/**
 * The JSON object in an answer: inside ```json fences or prose. Among the top-level {...} found,
 * prefers one that parses and has "scenes", then any that parses, then the first (so the reason
 * can say it is broken), then the text from the first "{" (an answer cut off mid-object).
 */
export function extractJson(answer: string): string | undefined {
  const fenced = [...answer.matchAll(/```[a-z]*\s*([\s\S]*?)```/gi)].map((m) => m[1]!);
  const candidates: string[] = [];
  for (const source of [...fenced, answer]) {
    // Top-level objects only: an inner one (a single scene) is never taken for the answer.
    for (let i = source.indexOf('{'); i >= 0; ) {
      const obj = balancedObject(source, i);
      if (!obj) break; // unclosed: everything after it is inside it
      candidates.push(obj);
      i = source.indexOf('{', i + obj.length);
    }
  }
  return (
    candidates.find((c) => parses(c) && /"scenes"\s*:/.test(c)) ??
    candidates.find(parses) ??
    candidates[0] ??
    (answer.includes('{') ? answer.slice(answer.indexOf('{')).trim() : undefined)
  );
}

export function parseSceneAnswer(answer: string, wantedScenes?: number): AnswerCheck {
  const json = extractJson(answer);
  if (!json) return { ok: false, reason: 'the answer holds no JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, reason: `the JSON is broken (${(error as Error).message.split('\n')[0]})` };
  }
  const parsed = answerSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.');
    const custom = /^(a scene|there)/.test(issue.message);
    return { ok: false, reason: custom ? issue.message : `${where || 'the answer'}: ${issue.message}` };
  }
  if (wantedScenes !== undefined && parsed.data.scenes.length !== wantedScenes) {
    return { ok: false, reason: `there are ${parsed.data.scenes.length} scenes, ${wantedScenes} were asked for` };
  }
  return { ok: true, value: parsed.data };
}
