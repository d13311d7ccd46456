/**
 * The progress events every consumer shares: the Discord embed, the CLI bar, the benchmark, tests.
 * `atMs` is milliseconds since the job started.
 */

export type AssetKind = 'image' | 'voice';

export type ProgressEvent =
  | { type: 'script'; atMs: number; scenes: number; writer: string; fallbackReason?: string }
  | {
      type: 'asset';
      atMs: number;
      scene: number;
      kind: AssetKind;
      state: 'started' | 'done' | 'cached';
      attempt: number;
      provider: string;
      /** Wall time of this attempt, on done. */
      ms?: number;
    }
  | {
      type: 'asset';
      atMs: number;
      scene: number;
      kind: AssetKind;
      state: 'retrying' | 'failed' | 'fallback';
      attempt: number;
      provider: string;
      /** Secret-free, one line. */
      error: string;
      /** For retrying: how long until the next attempt. */
      delayMs?: number;
    }
  | { type: 'clip'; atMs: number; scene: number; state: 'started' | 'done'; ms?: number }
  | { type: 'mux'; atMs: number; state: 'started' | 'done' | 'refit'; ms?: number; sizeBytes?: number }
  | { type: 'done'; atMs: number; sizeBytes: number; durationSeconds: number };

export type ProgressListener = (event: ProgressEvent) => void;
