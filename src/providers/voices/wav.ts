/** Just enough WAV: read the PCM format and samples of a 16-bit WAV, and write one. */
export interface Pcm {
  sampleRate: number;
  channels: number;
  samples: Buffer;
}

export function readWav(wav: Buffer): Pcm | undefined {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      channels = wav.readUInt16LE(offset + 10);
      sampleRate = wav.readUInt32LE(offset + 12);
      bits = wav.readUInt16LE(offset + 22);
    } else if (id === 'data') {
      if (bits !== 16 || !sampleRate || !channels) return undefined;
      const end = Math.min(wav.length, offset + 8 + size);
      return { sampleRate, channels, samples: wav.subarray(offset + 8, end) };
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

export function writeWav(pcm: Pcm): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.samples.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
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
