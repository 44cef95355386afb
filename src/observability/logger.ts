// The root logger: pino, JSON to stdout (or a given stream). Redaction removes passwords,
// Secret payloads and credentials wherever they appear in logged objects, at any of the
// depths our log calls use; errors go under `err` with their code, cause and HTTP status.
import pino, { type DestinationStream, type Logger } from 'pino';

export const redactedPaths: readonly string[] = [
  'password', '*.password', '*.*.password', '*.*.*.password',
  'passwd', '*.passwd',
  'token', '*.token', '*.*.token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', '*.headers.Authorization',
  'headers.cookie', '*.headers.cookie',
  // Secret objects: data and stringData at the top, in a child object, or one level deeper.
  'data', 'stringData', '*.data', '*.stringData', '*.*.data', '*.*.stringData',
  // KubeApiError and client-node exceptions: bodies and headers never reach the log.
  'err.body', 'err.headers', 'err.cause.body', 'err.cause.headers',
];

export type LoggerOptions = {
  readonly level?: string;
  /** Bound fields on every line, e.g. `{ instance }`. */
  readonly base?: Record<string, unknown>;
  /** Defaults to stdout; tests pass a collecting stream. */
  readonly destination?: DestinationStream;
};

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    base: options.base ?? {},
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, options.destination);
}

/** A logger that writes nothing (unit tests of runtime pieces). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
