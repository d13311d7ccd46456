/** Reading an MP4's top-level boxes, for tests that check how ffmpeg laid the file out. */
import { open } from 'node:fs/promises';

/** True when an MP4's moov box comes before its mdat box (faststart: plays while downloading). */
export async function moovBeforeMdat(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(16);
    let offset = 0;
    const { size } = await file.stat();
    while (offset + 8 <= size) {
      await file.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize < 8) return false;
      offset += boxSize;
    }
    return false;
  } finally {
    await file.close();
  }
}
