/**
 * Pure argument builder that joins the scenes' narration into one AAC track: each scene's audio
 * resampled to 48 kHz mono and padded to exactly its clip's length, so sound and picture stay
 * together scene after scene. This is the narration's one and only encode; it runs while the
 * scene clips are still rendering, and the final mux copies it.
 */
export interface NarrationPart {
  path: string;
  /** Exact length this part must have: its scene clip's duration. */
  seconds: number;
  /** Silence before the voice, within `seconds`: the scene's lead-in (default 0). */
  lead?: number;
}

export const NARRATION_RATE = 48_000;

/** The lead-in as leading silence, in whole samples at NARRATION_RATE ('' when there is none). */
const leadingSilence = (part: NarrationPart) => {
  const samples = Math.round((part.lead ?? 0) * NARRATION_RATE);
  return samples > 0 ? `adelay=delays=${samples}S:all=1,` : '';
};

/** The filtergraph that pads and joins the parts (input i is part i, offset by `firstInput`) into [label]. */
export function narrationGraph(parts: NarrationPart[], label: string, firstInput = 0): string {
  const chains = parts.map(
    (part, i) =>
      `[${firstInput + i}:a]aresample=${NARRATION_RATE},aformat=sample_fmts=s16:channel_layouts=mono,${leadingSilence(part)}apad=whole_dur=${part.seconds.toFixed(6)},atrim=end=${part.seconds.toFixed(6)},asetpts=N/SR/TB[a${i}]`,
  );
  const labels = parts.map((_, i) => `[a${i}]`).join('');
  return `${chains.join(';')};${labels}concat=n=${parts.length}:v=0:a=1[${label}]`;
}

export function narrationEncoderArgs(audioKbps: number): string[] {
  return [
    '-c:a',
    'aac',
    // the fast coder: half the CPU of the default two-loop search, and speech at 96k+ sounds the same
    '-aac_coder',
    'fast',
    '-b:a',
    `${audioKbps}k`,
    '-ar',
    String(NARRATION_RATE),
    '-ac',
    '1',
  ];
}

export function buildNarrationArgs(input: { inputs: NarrationPart[]; audioKbps: number; out: string }): string[] {
  return [
    ...input.inputs.flatMap((part) => ['-i', part.path]),
    '-filter_complex',
    narrationGraph(input.inputs, 'out'),
    '-map',
    '[out]',
    ...narrationEncoderArgs(input.audioKbps),
    input.out,
  ];
}
