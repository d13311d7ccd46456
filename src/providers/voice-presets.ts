/**
 * Named voices a Discord user can pick, mapped to each voice provider's own voice ids.
 * The CLI's --voice takes a provider voice id directly, or one of these names.
 */
export const VOICE_PRESETS = {
  narrator: { inworld: 'Ashley', espeak: 'en-us' },
  warm: { inworld: 'Olivia', espeak: 'en-us+f3' },
  deep: { inworld: 'Dennis', espeak: 'en-us+m3' },
  bright: { inworld: 'Timothy', espeak: 'en-gb+m1' },
  storyteller: { inworld: 'Edward', espeak: 'en-gb' },
} as const;

export type VoicePreset = keyof typeof VOICE_PRESETS;
export const VOICE_PRESET_NAMES = Object.keys(VOICE_PRESETS) as VoicePreset[];

export function isVoicePreset(value: string): value is VoicePreset {
  return Object.hasOwn(VOICE_PRESETS, value);
}

/** A preset name becomes the provider's voice id; anything else is passed through as an id. */
export function voiceIdFor(voice: string | undefined, provider: string): string | undefined {
  if (voice === undefined || !isVoicePreset(voice)) return voice;
  const ids: Record<string, string> = VOICE_PRESETS[voice];
  return ids[provider];
}
