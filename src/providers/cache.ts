/**
 * A content-addressed cache on disk for images and narration: the key is a hash of everything
 * that decides the bytes (provider, model, prompt, seed, size, voice, text), so a re-run that
 * keeps a scene pays nothing for it. Writes are atomic (temp file + rename: two jobs writing the
 * same entry both succeed and readers never see half a file); the oldest entries are evicted
 * when the cache grows past its size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetStore } from '../engine/scene-assets.js';

export class AssetCache implements AssetStore {
  private readonly dir: string;
  private readonly maxBytes: number;
  private evicting: Promise<void> | undefined;
  /** Bytes written since the last eviction scan: the folder is scanned only now and then. */
  private writtenSinceScan = Infinity;

  constructor(opts: { dir: string; maxBytes: number }) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
  }

  key(parts: Record<string, string | number | undefined>): string {
    const canonical = JSON.stringify(Object.keys(parts).sort().map((k) => [k, parts[k] ?? null]));
    return createHash('sha256').update(canonical).digest('hex');
  }

  private paths(key: string): { bin: string; meta: string; folder: string } {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('cache keys are sha256 hex');
    const folder = join(this.dir, key.slice(0, 2));
    return { folder, bin: join(folder, `${key}.bin`), meta: join(folder, `${key}.json`) };
  }

  async getEntry(key: string): Promise<{ bytes: Buffer; meta: Record<string, unknown> } | undefined> {
    const { bin, meta } = this.paths(key);
    try {
      const [bytes, metaText] = await Promise.all([readFile(bin), readFile(meta, 'utf8')]);
      const now = new Date();
      await utimes(bin, now, now).catch(() => undefined); // recently used: evicted last
      return { bytes, meta: JSON.parse(metaText) as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }

  async putEntry(key: string, bytes: Buffer, meta: Record<string, unknown>): Promise<void> {
    const { folder, bin, meta: metaPath } = this.paths(key);
    await mkdir(folder, { recursive: true });
    const tmp = `.${randomBytes(6).toString('hex')}.tmp`;
    // Metadata first: an entry counts only once its .bin exists, and then its .json does too.
    await writeFile(join(folder, `meta${tmp}`), JSON.stringify(meta));
    await rename(join(folder, `meta${tmp}`), metaPath);
    await writeFile(join(folder, `bin${tmp}`), bytes);
    await rename(join(folder, `bin${tmp}`), bin);
    this.writtenSinceScan += bytes.length;
    if (this.writtenSinceScan > this.maxBytes * 0.05) {
      this.writtenSinceScan = 0;
      this.evicting ??= this.evict().finally(() => (this.evicting = undefined));
      await this.evicting;
    }
  }

  /** Total bytes of entries, and removal of the least recently used ones past the limit. */
  async evict(): Promise<void> {
    const entries: { bin: string; meta: string; size: number; mtimeMs: number }[] = [];
    for (const sub of await readdir(this.dir).catch(() => [] as string[])) {
      const folder = join(this.dir, sub);
      for (const file of await readdir(folder).catch(() => [] as string[])) {
        if (!file.endsWith('.bin')) continue;
        const info = await stat(join(folder, file)).catch(() => undefined);
        if (info) entries.push({ bin: join(folder, file), meta: join(folder, file.replace(/\.bin$/, '.json')), size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    let total = entries.reduce((s, e) => s + e.size, 0);
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      await rm(e.bin, { force: true });
      await rm(e.meta, { force: true });
      total -= e.size;
    }
  }
}
