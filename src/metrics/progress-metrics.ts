/**
 * Folds the engine's progress events (src/engine/events.ts) into the metrics, so every consumer
 * of a render (bot, worker, benchmark) counts the same way:
 * - asset `retrying`: one failed attempt that will be tried again -> providerErrors + providerRetries;
 * - asset `failed`: the last attempt of that provider failed -> providerErrors (each failed attempt
 *   is thus counted once: the engine emits `retrying` for all but the last);
 * - asset `fallback`: a stand-in was used (fallback provider, title card, silence) -> assetFallbacks,
 *   labelled with the stand-in; the primary's failure was already counted by its `failed`;
 * - script with `fallbackReason`: the scene writer failed and the offline one cut the scenes ->
 *   providerErrors{kind: writer} for the writer named in the reason, assetFallbacks for the stand-in;
 * - `done`: renderDuration (the event's atMs: since the render started) and realtimeFactor.
 * So the caller must not observe renderDuration itself for a render whose events it folds.
 */
import type { ProgressEvent, ProgressListener } from '../engine/events.js';
import type { Metrics } from './registry.js';

export type ProgressMetrics = Pick<Metrics, 'providerErrors' | 'providerRetries' | 'assetFallbacks' | 'renderDuration' | 'realtimeFactor'>;

export function foldProgressEvent(metrics: ProgressMetrics, event: ProgressEvent): void {
  switch (event.type) {
    case 'asset':
      if (event.state === 'retrying') {
        metrics.providerErrors.inc({ provider: event.provider, kind: event.kind });
        metrics.providerRetries.inc({ provider: event.provider });
      } else if (event.state === 'failed') {
        metrics.providerErrors.inc({ provider: event.provider, kind: event.kind });
      } else if (event.state === 'fallback') {
        metrics.assetFallbacks.inc({ kind: event.kind, provider: event.provider });
      }
      return;
    case 'script':
      if (event.fallbackReason) {
        metrics.providerErrors.inc({ provider: failedWriter(event.fallbackReason), kind: 'writer' });
        metrics.assetFallbacks.inc({ kind: 'writer', provider: event.writer });
      }
      return;
    case 'done': {
      const seconds = event.atMs / 1000;
      metrics.renderDuration.observe(seconds);
      if (seconds > 0 && event.durationSeconds > 0) metrics.realtimeFactor.observe(event.durationSeconds / seconds);
      return;
    }
    default:
      return;
  }
}

export function progressMetricsListener(metrics: ProgressMetrics): ProgressListener {
  return (event) => foldProgressEvent(metrics, event);
}

/** Both writers word it "<name> writer ..." (write-script.ts, writers/openai.ts); a short safe label either way. */
function failedWriter(reason: string): string {
  const name = /^([a-z0-9_-]{1,32}) writer\b/i.exec(reason)?.[1];
  return name ?? 'writer';
}
