/**
 * A story's language (asked for, or detected from its text with the user's locale as a hint) and
 * the voices that read it: the primary provider's and the stand-in's, each a voice of that
 * language where the provider has one, with a note when it does not.
 */
import { detectLanguage } from '../core/detect-language.js';
import { normalizeLanguage } from '../core/language.js';
import type { StoryOptions } from '../core/story.js';
import { chooseVoice, isVoicePreset, type VoiceChoice } from '../providers/voice-presets.js';
import type { VoiceProvider } from '../providers/types.js';

export interface StoryLanguage {
  /** BCP-47 primary subtag of the story's language. */
  language: string;
  /** requested: options.language; detected / hint / default: see detectLanguage. */
  source: 'requested' | 'detected' | 'hint' | 'default';
  voice: VoiceChoice;
  /** The stand-in voice provider's voice for this story. */
  fallbackVoice?: VoiceChoice;
}

type Voices = Pick<VoiceProvider, 'name' | 'defaultVoice'>;

export function storyLanguage(
  text: string,
  options: Pick<StoryOptions, 'language' | 'languageHint' | 'voice'>,
  primary: Voices,
  fallback?: Voices,
): StoryLanguage {
  const asked = normalizeLanguage(options.language);
  const found = asked ? { language: asked, source: 'requested' as const } : detectLanguage(text, { hint: options.languageHint });
  const { language } = found;
  const voice = chooseVoice(primary.name, language, options.voice, primary.defaultVoice);
  // An explicit voice id belongs to the primary provider; a preset name means something to both.
  const preset = options.voice !== undefined && isVoicePreset(options.voice) ? options.voice : undefined;
  const fallbackVoice = fallback ? chooseVoice(fallback.name, language, preset, fallback.defaultVoice) : undefined;
  return { language, source: found.source, voice, fallbackVoice };
}
