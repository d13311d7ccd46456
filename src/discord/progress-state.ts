/**
 * The state one job's embed shows, folded from the engine's progress events: per scene the
 * image, voice and clip, the phase, and a time estimate.
 */
import type { ProgressEvent } from '../engine/events.js';
import type { MessageKey } from '../i18n/translate.js';

export type AssetState = 'waiting' | 'working' | 'retrying' | 'done' | 'fallback';
export type ClipState = 'waiting' | 'rendering' | 'done';
/** How far a running job is; its end (done, failed, cancelled) is shown by the end embeds, not by this state. */
export type Phase = 'queued' | 'writing' | 'generating' | 'joining' | 'uploading';

export interface SceneProgress {
  image: AssetState;
  voice: AssetState;
  clip: ClipState;
}

export class ProgressState {
  phase: Phase = 'queued';
  position = 0;
  scenes: SceneProgress[] = [];
  startedAt: number | undefined;
  /** A line under the bar, as a message key: the embed says it in the member's language. */
  note: MessageKey | undefined;

  constructor(readonly title: string) {}

  queued(position: number): void {
    this.phase = 'queued';
    this.position = position;
  }

  started(now: number): void {
    this.phase = 'writing';
    this.startedAt = now;
  }

  apply(event: ProgressEvent): void {
    switch (event.type) {
      case 'script':
        this.scenes = Array.from({ length: event.scenes }, () => ({ image: 'waiting', voice: 'waiting', clip: 'waiting' }));
        this.phase = 'generating';
        if (event.fallbackReason) this.note = 'progress.offlineScenes';
        break;
      case 'asset': {
        const scene = this.scenes[event.scene];
        if (!scene) return;
        const next: Record<typeof event.state, AssetState | undefined> = {
          started: 'working',
          done: 'done',
          cached: 'done',
          retrying: 'retrying',
          failed: undefined,
          fallback: 'fallback',
        };
        const state = next[event.state];
        if (state && !(scene[event.kind] === 'fallback' && state === 'working')) scene[event.kind] = state;
        break;
      }
      case 'clip': {
        const scene = this.scenes[event.scene];
        if (scene) scene.clip = event.state === 'started' ? 'rendering' : 'done';
        break;
      }
      case 'mux':
        this.phase = 'joining';
        break;
      case 'done':
        this.phase = 'uploading';
        break;
    }
  }

  /** Fraction of the work done: each scene's image, voice and clip, then the join. */
  fraction(): number {
    if (this.scenes.length === 0) return 0;
    const done = this.scenes.reduce(
      (n, s) =>
        n +
        (['done', 'fallback'].includes(s.image) ? 1 : 0) +
        (['done', 'fallback'].includes(s.voice) ? 1 : 0) +
        (s.clip === 'done' ? 1 : 0),
      0,
    );
    const joined = this.phase === 'uploading' ? 1 : 0;
    return (done + joined) / (this.scenes.length * 3 + 1);
  }

  /** Seconds left, from the pace so far; undefined until there is a pace to go by. */
  etaSeconds(now: number): number | undefined {
    const f = this.fraction();
    if (!this.startedAt || f < 0.1 || f >= 1) return undefined;
    const elapsed = (now - this.startedAt) / 1000;
    return Math.max(1, Math.round((elapsed / f) * (1 - f)));
  }
}
