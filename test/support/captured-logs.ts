/** Log lines captured per test (debug level), for tests that check what is and is not logged. */
import { afterEach, beforeEach } from 'vitest';
import { setLogLevel, setLogSink } from '../../src/core/log.js';

export function useCapturedLogs(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    setLogLevel('debug');
    setLogSink((line) => lines.push(line));
  });
  afterEach(() => {
    setLogLevel('info');
    setLogSink((line) => process.stderr.write(line + '\n'));
  });
  return lines;
}
