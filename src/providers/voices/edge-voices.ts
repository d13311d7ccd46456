/**
 * Edge read-aloud voices per language, in preset order: narrator, warm, deep, bright, storyteller
 * (names from the service's voice list). Languages not listed here are read by a multilingual
 * voice (Emma / Andrew), which the service makes speak the text's language.
 */
export const EDGE_VOICES: Record<string, readonly [string, string, string, string, string]> = {
  en: [
    'en-US-EmmaMultilingualNeural',
    'en-US-AvaMultilingualNeural',
    'en-US-AndrewMultilingualNeural',
    'en-US-BrianMultilingualNeural',
    'en-GB-RyanNeural',
  ],
  es: ['es-ES-ElviraNeural', 'es-MX-DaliaNeural', 'es-ES-AlvaroNeural', 'es-MX-JorgeNeural', 'es-ES-AlvaroNeural'],
  fr: ['fr-FR-DeniseNeural', 'fr-FR-VivienneMultilingualNeural', 'fr-FR-HenriNeural', 'fr-FR-RemyMultilingualNeural', 'fr-FR-HenriNeural'],
  de: [
    'de-DE-KatjaNeural',
    'de-DE-SeraphinaMultilingualNeural',
    'de-DE-ConradNeural',
    'de-DE-FlorianMultilingualNeural',
    'de-DE-KillianNeural',
  ],
  it: ['it-IT-ElsaNeural', 'it-IT-IsabellaNeural', 'it-IT-DiegoNeural', 'it-IT-GiuseppeMultilingualNeural', 'it-IT-DiegoNeural'],
  pt: ['pt-BR-FranciscaNeural', 'pt-BR-ThalitaMultilingualNeural', 'pt-BR-AntonioNeural', 'pt-PT-DuarteNeural', 'pt-BR-AntonioNeural'],
  nl: ['nl-NL-FennaNeural', 'nl-NL-ColetteNeural', 'nl-NL-MaartenNeural', 'nl-BE-ArnaudNeural', 'nl-NL-MaartenNeural'],
  pl: ['pl-PL-ZofiaNeural', 'pl-PL-ZofiaNeural', 'pl-PL-MarekNeural', 'pl-PL-MarekNeural', 'pl-PL-MarekNeural'],
  tr: ['tr-TR-EmelNeural', 'tr-TR-EmelNeural', 'tr-TR-AhmetNeural', 'tr-TR-AhmetNeural', 'tr-TR-AhmetNeural'],
  ru: ['ru-RU-SvetlanaNeural', 'ru-RU-SvetlanaNeural', 'ru-RU-DmitryNeural', 'ru-RU-DmitryNeural', 'ru-RU-DmitryNeural'],
  uk: ['uk-UA-PolinaNeural', 'uk-UA-PolinaNeural', 'uk-UA-OstapNeural', 'uk-UA-OstapNeural', 'uk-UA-OstapNeural'],
  ja: ['ja-JP-NanamiNeural', 'ja-JP-NanamiNeural', 'ja-JP-KeitaNeural', 'ja-JP-KeitaNeural', 'ja-JP-KeitaNeural'],
  ko: ['ko-KR-SunHiNeural', 'ko-KR-SunHiNeural', 'ko-KR-InJoonNeural', 'ko-KR-HyunsuMultilingualNeural', 'ko-KR-InJoonNeural'],
  zh: ['zh-CN-XiaoxiaoNeural', 'zh-CN-XiaoyiNeural', 'zh-CN-YunjianNeural', 'zh-CN-YunxiNeural', 'zh-CN-YunyangNeural'],
  ar: ['ar-SA-ZariyahNeural', 'ar-EG-SalmaNeural', 'ar-SA-HamedNeural', 'ar-EG-ShakirNeural', 'ar-SA-HamedNeural'],
  he: ['he-IL-HilaNeural', 'he-IL-HilaNeural', 'he-IL-AvriNeural', 'he-IL-AvriNeural', 'he-IL-AvriNeural'],
  hi: ['hi-IN-SwaraNeural', 'hi-IN-SwaraNeural', 'hi-IN-MadhurNeural', 'hi-IN-MadhurNeural', 'hi-IN-MadhurNeural'],
  vi: ['vi-VN-HoaiMyNeural', 'vi-VN-HoaiMyNeural', 'vi-VN-NamMinhNeural', 'vi-VN-NamMinhNeural', 'vi-VN-NamMinhNeural'],
  id: ['id-ID-GadisNeural', 'id-ID-GadisNeural', 'id-ID-ArdiNeural', 'id-ID-ArdiNeural', 'id-ID-ArdiNeural'],
  sv: ['sv-SE-SofieNeural', 'sv-SE-SofieNeural', 'sv-SE-MattiasNeural', 'sv-SE-MattiasNeural', 'sv-SE-MattiasNeural'],
  cs: ['cs-CZ-VlastaNeural', 'cs-CZ-VlastaNeural', 'cs-CZ-AntoninNeural', 'cs-CZ-AntoninNeural', 'cs-CZ-AntoninNeural'],
  el: ['el-GR-AthinaNeural', 'el-GR-AthinaNeural', 'el-GR-NestorasNeural', 'el-GR-NestorasNeural', 'el-GR-NestorasNeural'],
  th: ['th-TH-PremwadeeNeural', 'th-TH-PremwadeeNeural', 'th-TH-NiwatNeural', 'th-TH-NiwatNeural', 'th-TH-NiwatNeural'],
};

/** The multilingual voices that read a language without voices of its own: narrator, warm, deep, bright, storyteller. */
export const EDGE_MULTILINGUAL = [
  'en-US-EmmaMultilingualNeural',
  'en-US-AvaMultilingualNeural',
  'en-US-AndrewMultilingualNeural',
  'en-US-BrianMultilingualNeural',
  'en-US-AndrewMultilingualNeural',
] as const;
