/**
 * Which voice reads which words of each scene: quoted dialogue by its speaker's voice (one per
 * character for the whole story, never the narrator's), the rest by the narrator. A scene with
 * no speaking character stays one segment, read exactly as before.
 */
import type { Script } from '../core/story.js';
import { splitDialogue, speakersOf } from '../core/dialogue.js';
import { speakerVoices } from '../providers/voices/speaker-voices.js';
import type { VoiceSegment } from './dialogue-voice.js';

export type VoicesMode = 'characters' | 'narrator-only';
export const VOICES_MODES: readonly VoicesMode[] = ['characters', 'narrator-only'];

export interface DialoguePlan {
  /** Per scene: its segments when characters speak in it, else undefined (the narrator reads it all). */
  segments: (VoiceSegment[] | undefined)[];
  /** Each speaking character and its voice (the primary provider's; the stand-in's when the primary has none). */
  speakers: { name: string; voice: string }[];
  /** The same with the stand-in's voices (what a story the stand-in read was spoken with). */
  fallbackSpeakers: { name: string; voice: string }[];
}

interface Narrator {
  provider: string;
  voice?: string;
}

export function planDialogue(
  script: Script,
  language: string,
  primary: Narrator,
  fallback: Narrator | undefined,
  mode: VoicesMode = 'characters',
): DialoguePlan {
  const none: DialoguePlan = { segments: script.scenes.map(() => undefined), speakers: [], fallbackSpeakers: [] };
  if (mode === 'narrator-only') return none;
  const cast = script.cast ?? [];
  const split = script.scenes.map((s) =>
    splitDialogue(
      s.narration,
      cast.map((c) => c.name),
    ),
  );
  const names = speakersOf(split);
  if (names.length === 0) return none;
  const described = names.map((name) => ({
    name,
    description: cast.find((c) => c.name.toLowerCase() === name.toLowerCase())?.description,
  }));
  const mine = speakerVoices(primary.provider, language, primary.voice, described);
  const theirs = fallback ? speakerVoices(fallback.provider, language, fallback.voice, described) : new Map<string, string | undefined>();
  const segments = split.map((segs) =>
    segs.some((s) => s.speaker && (mine.get(s.speaker) ?? theirs.get(s.speaker)))
      ? segs.map((s) => ({
          text: s.text,
          ...(s.speaker ? { voice: mine.get(s.speaker), fallbackVoice: theirs.get(s.speaker) } : {}),
        }))
      : undefined,
  );
  const speakers = names.flatMap((name) => {
    const voice = mine.get(name) ?? theirs.get(name);
    return voice ? [{ name, voice }] : [];
  });
  const fallbackSpeakers = names.flatMap((name) => {
    const voice = theirs.get(name);
    return voice ? [{ name, voice }] : [];
  });
  return { segments, speakers, fallbackSpeakers };
}
