/**
 * Why a voice not of the story's language (or a rough one) read it, as data: the engine's result
 * carries it, and the bot says it in the member's language (discord/progress-embed.ts); the CLI,
 * logs and history keep the English line beside it (VoiceChoice.note).
 */
export type VoiceNote =
  /** The provider lists no voice of the language, but its model speaks it: `voice` reads it so. */
  | { kind: 'model-reads'; provider: string; language: string; voice: string }
  /** No voice of the language: `voice`, of `voiceLanguage`, reads it. */
  | { kind: 'other-language'; provider: string; language: string; voice: string; voiceLanguage: string }
  /** No voice of the language listed: the multilingual `voice` reads it. */
  | { kind: 'multilingual'; provider: string; language: string; voice: string }
  /** The provider reads the language poorly (espeak-ng's Japanese, Chinese). */
  | { kind: 'rough'; provider: string; language: string };
