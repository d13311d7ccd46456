/**
 * The one WAV reader and writer: every voice here is PCM in a WAV wrapper (Inworld LINEAR16,
 * espeak-ng, the silent stand-in), so a header walk answers its format and length without ffprobe.
 * Chunks are walked with bounds checks (a short `fmt `, a chunk size running past the buffer), and
 * a streamed WAV's "unknown" sizes (0 or 0xFFFFFFFF, as espeak-ng --stdout writes) mean "to the end".
 */

export interface WavLayout {
  /** 1 = integer PCM, 3 = float, 0xFFFE = WAVE_FORMAT_EXTENSIBLE; others are compressed. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Where the samples start in the file, and how many bytes of them there are. */
  dataOffset: number;
  dataBytes: number;
}

export interface Pcm {
  sampleRate: number;
  channels: number;
  /** 16-bit little-endian samples, interleaved. */
  samples: Buffer;
}

const FMT_BYTES = 16;

/**
 * The layout of a WAV from its first bytes (`header`, which may be only the start of the file)
 * and the whole file's size. Undefined when it is not a RIFF/WAVE or its `fmt ` chunk is unusable.
 */
export function wavLayout(header: Buffer, fileSize = header.length): WavLayout | undefined {
  if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let fmt: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const size = header.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      if (size < FMT_BYTES || offset + 8 + FMT_BYTES > header.length) return undefined;
      fmt = {
        format: header.readUInt16LE(offset + 8),
        channels: header.readUInt16LE(offset + 10),
        sampleRate: header.readUInt32LE(offset + 12),
        bitsPerSample: header.readUInt16LE(offset + 22),
      };
    } else if (id === 'data') {
      if (!fmt?.channels || !fmt.sampleRate || !fmt.bitsPerSample) return undefined;
      const dataOffset = offset + 8;
      const available = Math.max(0, fileSize - dataOffset);
      const dataBytes = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return { ...fmt, dataOffset, dataBytes };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

const isPcm = (layout: WavLayout) => layout.format === 1 || layout.format === 0xfffe;

/** Seconds of audio an integer-PCM WAV holds, from its header; undefined for anything else. */
export function wavSecondsFromHeader(header: Buffer, fileSize: number): number | undefined {
  const layout = wavLayout(header, fileSize);
  if (!layout || !isPcm(layout) || layout.dataBytes <= 0) return undefined;
  return layout.dataBytes / ((layout.sampleRate * layout.channels * layout.bitsPerSample) / 8);
}

/** The samples of a whole 16-bit PCM WAV; undefined for any other kind of file. */
export function readWav(wav: Buffer): Pcm | undefined {
  const layout = wavLayout(wav);
  if (!layout || !isPcm(layout) || layout.bitsPerSample !== 16) return undefined;
  const samples = wav.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  return { sampleRate: layout.sampleRate, channels: layout.channels, samples };
}

export function writeWav(pcm: Pcm): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.samples.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(FMT_BYTES, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(pcm.channels, 22);
  header.writeUInt32LE(pcm.sampleRate, 24);
  header.writeUInt32LE(pcm.sampleRate * pcm.channels * 2, 28);
  header.writeUInt16LE(pcm.channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.samples.length, 40);
  return Buffer.concat([header, pcm.samples]);
}

export function pcmSeconds(pcm: Pcm): number {
  return pcm.samples.length / (pcm.sampleRate * pcm.channels * 2);
}

/**
 * A streamed WAV (sizes left "unknown") with its RIFF and data sizes written, so every reader
 * (ffmpeg included) sees its real length. A file that is not a WAV comes back unchanged.
 */
export function withWavSizes(wav: Buffer): Buffer {
  const layout = wavLayout(wav);
  if (!layout) return wav;
  const fixed = Buffer.from(wav);
  fixed.writeUInt32LE(fixed.length - 8, 4);
  fixed.writeUInt32LE(fixed.length - layout.dataOffset, layout.dataOffset - 4);
  return fixed;
}
