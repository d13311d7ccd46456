/**
 * FFmpeg filtergraph escaping (ffmpeg-filters, "Notes on filtergraph escaping"): a value is
 * escaped once for its filter option (\ ' :) and once more for the graph (\ ' [ ] , ;).
 */
export function escapeFilterOption(value: string): string {
  return value.replace(/[\\':]/g, '\\$&');
}

export function escapeFilterGraph(value: string): string {
  return value.replace(/[\\'[\],;]/g, '\\$&');
}

/** A file path used as a filter option value inside a filtergraph. */
export function filterPath(path: string): string {
  return escapeFilterGraph(escapeFilterOption(path));
}
