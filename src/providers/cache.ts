/**
 * A content-addressed cache on disk for images and narration. The key is a hash of everything that
 * decides the bytes (provider, model, prompt, seed, size, voice, text), so a re-run pays nothing for
 * the scenes it keeps. Layout: `{dir}/ab/abcdef….bin` plus a sidecar `….json` holding the caller's
 * metadata (mime, format, word timings) and the size and sha256 of the bytes, checked on read.
 *
 * Writes are atomic (temp file + rename): two jobs writing the same entry both succeed and a
 * reader never sees half a file. Reads mark an entry as used (mtime); when the cache grows past
 * maxBytes the least recently used entries go first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssetStore } from './types.js';

export interface CacheEntry {
  bytes: Buffer;
  meta: Record<string, unknown>;
}

interface Sidecar {
  v: 1;
  size: number;
  sha256: string;
  meta: Record<string, unknown>;
}

/** Bumped when the meaning of cached bytes changes: old entries then simply miss. */
const KEY_VERSION = 'storyreel-cache-1';
/** Temp files older than this are left-overs of a crash. */
const STALE_TEMP_MS = 60 * 60 * 1000;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Canonical JSON of the parts: keys sorted, undefined parts left out (so {a: undefined} == {}). */
export function canonicalParts(parts: Record<string, string | number | undefined>): string {
  const entries = Object.keys(parts)
    .filter((k) => parts[k] !== undefined)
    .sort()
    .map((k) => [k, parts[k]]);
  return JSON.stringify([KEY_VERSION, entries]);
}

export class AssetCache implements AssetStore {
  readonly dir: string;
  readonly maxBytes: number;
  private evicting: Promise<void> | undefined;
  /** Bytes written since the last size scan: the folder is scanned only now and then. */
  private writtenSinceScan = Infinity;

  constructor(opts: { dir: string; maxBytes: number }) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
  }

  key(parts: Record<string, string | number | undefined>): string {
    return sha256(canonicalParts(parts));
  }

  private paths(key: string): { folder: string; bin: string; json: string } {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('cache keys are sha256 hex (use cache.key())');
    const folder = join(this.dir, key.slice(0, 2));
    return { folder, bin: join(folder, `${key}.bin`), json: join(folder, `${key}.json`) };
  }

  /**
   * The entry, or undefined when missing, half-evicted or damaged. Rejects when the cache cannot
   * be read at all (a file where its folder should be, permissions, I/O errors), so the caller can
   * say so: a broken cache would otherwise look like an empty one, forever.
   */
  async getEntry(key: string): Promise<CacheEntry | undefined> {
    const { bin, json } = this.paths(key);
    let bytes: Buffer;
    let text: string;
    try {
      [bytes, text] = await Promise.all([readFile(bin), readFile(json, 'utf8')]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // not cached (or evicted meanwhile)
      throw error;
    }
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(text) as Sidecar;
    } catch {
      return undefined; // damaged: the next put replaces it
    }
    if (sidecar?.v !== 1 || sidecar.size !== bytes.length || sidecar.sha256 !== sha256(bytes)) return undefined;
    const now = new Date();
    // Used just now: evicted last. A failure only spoils the eviction order; a cache that cannot be
    // written at all is reported by putEntry.
    await utimes(bin, now, now).catch(() => undefined);
    return { bytes, meta: sidecar.meta ?? {} };
  }

  async putEntry(key: string, bytes: Buffer, meta: Record<string, unknown>): Promise<void> {
    const { folder, bin, json } = this.paths(key);
    await mkdir(folder, { recursive: true });
    const sidecar: Sidecar = { v: 1, size: bytes.length, sha256: sha256(bytes), meta };
    const tag = `${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    const tmpJson = join(folder, `.${key}.json.${tag}`);
    const tmpBin = join(folder, `.${key}.bin.${tag}`);
    try {
      await Promise.all([writeFile(tmpJson, JSON.stringify(sidecar)), writeFile(tmpBin, bytes)]);
      // The sidecar first: a .bin is only ever visible with its .json beside it.
      await rename(tmpJson, json);
      await rename(tmpBin, bin);
    } catch (error) {
      await Promise.all([rm(tmpJson, { force: true }), rm(tmpBin, { force: true })]);
      throw error;
    }
    this.writtenSinceScan += bytes.length;
    if (this.writtenSinceScan > this.maxBytes * 0.05) {
      this.writtenSinceScan = 0;
      this.evicting ??= this.evict().finally(() => (this.evicting = undefined));
      await this.evicting;
    }
  }

  /** Removes least recently used entries until the cache fits maxBytes, and stale temp files. */
  async evict(): Promise<void> {
    const entries: { bin: string; json: string; size: number; usedAt: number }[] = [];
    const now = Date.now();
    for (const sub of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(sub)) continue;
      const folder = join(this.dir, sub);
      for (const file of await readdir(folder).catch(() => [] as string[])) {
        const path = join(folder, file);
        const info = await stat(path).catch(() => undefined);
        if (!info) continue;
        if (file.endsWith('.tmp')) {
          if (now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
        } else if (file.endsWith('.bin')) {
          entries.push({ bin: path, json: path.replace(/\.bin$/, '.json'), size: info.size, usedAt: info.mtimeMs });
        }
      }
    }
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    entries.sort((a, b) => a.usedAt - b.usedAt);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      await rm(e.bin, { force: true });
      await rm(e.json, { force: true });
      total -= e.size;
    }
  }
}
