/**
 * One-line logs on stderr, with every known secret replaced by "***" before it is written.
 * Entry points call `registerSecrets(secretsOf(config))` once.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secrets = new Set<string>();
let threshold: Level = 'info';
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

export function registerSecrets(values: Iterable<string>): void {
  for (const v of values) if (v && v.length >= 4) secrets.add(v);
}

export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Where lines go instead of stderr as is: the CLI clears its progress bar's line first; tests capture them. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    out = out.split(s).join('***');
    // Basic auth carries the key base64-encoded.
    const b64 = Buffer.from(s).toString('base64');
    out = out.split(b64).join('***');
  }
  return out;
}

function write(level: Level, scope: string, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < order[threshold]) return;
  const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
  sink(redact(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${message}${extra}`.replace(/\n/g, ' ')));
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(scope: string): Logger {
  return {
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
  };
}
