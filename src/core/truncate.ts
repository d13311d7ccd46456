/** Cut to a length in code points, never splitting a surrogate pair; the cut ends with "…". */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
