/**
 * The contact sheet on a working job's message: painted again whenever a scene image arrives
 * (one paint at a time; images that land meanwhile go into the next one), and attached to the
 * progress edit at most once every 4 s, with the embed's image pointing at it. The sheet is
 * chosen at send time (`decorate`), so an edit the throttled editor coalesced away never counts
 * as an upload. The final message replaces the attachments with the video alone.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIEmbed } from 'discord.js';
import type { Aspect } from '../core/story.js';
import type { Logger } from '../core/log.js';
import { describeError } from '../core/describe-error.js';
import { makeCastTile, makeTile, paintContactSheet, type CastTile, type SheetTile } from './contact-sheet.js';
import type { MessagePayload } from './job-message.js';

export const PREVIEW_NAME = 'preview.jpg';
/** Discord edits with a file are heavier than plain ones: one sheet every 4 s at most (issue 13). */
export const PREVIEW_INTERVAL_MS = 4000;

export interface LivePreviewOptions {
  aspect: Aspect;
  /** Where sheets are written until they are uploaded (the job's work folder). */
  dir: string;
  jobId: string;
  /** A new sheet is ready, or may now be sent: ask for an edit. */
  onSheet: () => void;
  log?: Logger;
  /** What a stand-in tile says, in the member's language (default English). */
  standInLabel?: string;
  intervalMs?: number;
  now?: () => number;
}

export class LivePreview {
  private tiles: SheetTile[] = [];
  private cast: CastTile[] = [];
  private painting: Promise<void> | undefined;
  private dirty = false;
  private stopped = false;
  private latest: { path: string; version: number } | undefined;
  private version = 0;
  private uploadedVersion = 0;
  private lastUploadAt = -Infinity;
  private retry: NodeJS.Timeout | undefined;
  private readonly files: string[] = [];
  /** Sheets uploaded so far. */
  uploads = 0;

  constructor(private readonly opts: LivePreviewOptions) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The script is written: this many tiles, all placeholders until images arrive. */
  scenes(count: number): void {
    this.tiles = Array.from({ length: count }, (_, i) => this.tiles[i] ?? {});
  }

  /** A scene's image is on disk: shrink it to a tile now (the file may be gone later). */
  async imageArrived(scene: number, path: string, standIn: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const tile = await makeTile(await readFile(path), this.opts.aspect);
      if (this.stopped) return;
      while (this.tiles.length <= scene) this.tiles.push({});
      this.tiles[scene] = { tile, standIn };
      this.dirty = true;
      this.painting ??= this.paintLoop();
    } catch (error) {
      // A preview is a nicety: the job goes on without this tile.
      this.opts.log?.warn(`job ${this.opts.jobId}: preview tile ${scene + 1} skipped: ${describeError(error)}`);
    }
  }

  /** A portrait of the story's cast is on disk: it goes first on the sheet, with its name. */
  async portraitArrived(index: number, name: string, path: string): Promise<void> {
    if (this.stopped) return;
    try {
      const tile = await makeCastTile(await readFile(path));
      if (this.stopped) return;
      while (this.cast.length <= index) this.cast.push({ name: '' });
      this.cast[index] = { name, tile };
      this.dirty = true;
      this.painting ??= this.paintLoop();
    } catch (error) {
      this.opts.log?.warn(`job ${this.opts.jobId}: preview portrait ${index + 1} skipped: ${describeError(error)}`);
    }
  }

  private async paintLoop(): Promise<void> {
    try {
      while (this.dirty && !this.stopped) {
        this.dirty = false;
        const jpeg = await paintContactSheet(this.opts.aspect, this.tiles, this.cast, this.opts.standInLabel);
        if (this.stopped) break;
        const version = ++this.version;
        const path = join(this.opts.dir, `${this.opts.jobId}-preview-${version}.jpg`);
        await writeFile(path, jpeg);
        this.files.push(path);
        this.latest = { path, version };
        this.opts.onSheet();
      }
    } catch (error) {
      this.opts.log?.warn(`job ${this.opts.jobId}: preview not painted: ${describeError(error)}`);
    } finally {
      this.painting = undefined;
    }
  }

  /** Called as an edit is sent: the newest sheet when one is due, and the embed pointing at it. */
  decorate(payload: MessagePayload): MessagePayload {
    if (this.stopped || !payload.embeds?.length) return payload;
    let files: MessagePayload['files'];
    const fresh = this.latest && this.latest.version > this.uploadedVersion;
    const wait = this.lastUploadAt + (this.opts.intervalMs ?? PREVIEW_INTERVAL_MS) - this.now();
    if (fresh && wait <= 0) {
      files = [{ attachment: this.latest!.path, name: PREVIEW_NAME }];
      this.uploadedVersion = this.latest!.version;
      this.lastUploadAt = this.now();
      this.uploads += 1;
    } else if (fresh && !this.retry) {
      // Not yet: ask again when the 4 s are up, so the last sheet is not left waiting for an event.
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (!this.stopped) this.opts.onSheet();
      }, wait);
      this.retry.unref?.();
    }
    if (this.uploadedVersion === 0) return payload;
    const [first, ...rest] = payload.embeds;
    const embed: APIEmbed = { ...first, image: { url: `attachment://${PREVIEW_NAME}` } };
    return { ...payload, embeds: [embed, ...rest], ...(files ? { files } : {}) };
  }

  /** True once a sheet is attached to the message (an end without video must clear it). */
  get shown(): boolean {
    return this.uploadedVersion > 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.painting;
    await Promise.all(this.files.map((f) => rm(f, { force: true })));
  }
}
