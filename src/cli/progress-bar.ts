/** A one-line progress bar for a terminal, fed by the engine's progress events. */
import type { ProgressEvent } from '../engine/events.js';

export class ProgressBar {
  private scenes = 0;
  private assetsDone = 0;
  private clipsDone = 0;
  private phase = 'writing scenes';
  private notes: string[] = [];

  constructor(
    private readonly write: (text: string) => void,
    private readonly width = 28,
  ) {}

  handle(event: ProgressEvent): void {
    switch (event.type) {
      case 'script':
        this.scenes = event.scenes;
        this.phase = 'images and narration';
        if (event.fallbackReason) this.notes.push(`writer: ${event.fallbackReason}`);
        break;
      case 'asset':
        if (event.state === 'done' || event.state === 'cached') this.assetsDone += 1;
        if (event.state === 'retrying') this.notes.push(`scene ${event.scene + 1} ${event.kind}: retrying (${event.error})`);
        if (event.state === 'fallback') this.notes.push(`scene ${event.scene + 1} ${event.kind}: using ${event.provider} (${event.error})`);
        break;
      case 'clip':
        if (event.state === 'done') this.clipsDone += 1;
        this.phase = 'rendering scenes';
        break;
      case 'mux':
        this.phase = event.state === 'refit' ? 're-encoding to fit' : 'joining';
        break;
      case 'done':
        this.phase = 'done';
        break;
    }
    this.draw(event.atMs);
  }

  private draw(atMs: number): void {
    for (const note of this.notes.splice(0)) this.write(`\r\x1b[K  ${note}\n`);
    const total = Math.max(1, this.scenes * 3 + 1);
    const done = this.assetsDone + this.clipsDone + (this.phase === 'done' ? 1 : 0);
    const filled = Math.round((Math.min(done, total) / total) * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const pct = Math.round((Math.min(done, total) / total) * 100);
    this.write(`\r\x1b[K${bar} ${String(pct).padStart(3)}%  ${this.phase}  ${(atMs / 1000).toFixed(1)}s`);
    if (this.phase === 'done') this.write('\n');
  }
}
