// The agent's log: one JSON object per line on stdout (the launcher sends it to
// <stateDir>/logs/node-<name>.log). Messages are constants; values go in fields.

export type Logger = {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  child(fields: Record<string, unknown>): Logger;
};

function errorFields(fields: Record<string, unknown>): Record<string, unknown> {
  const err = fields['err'];
  if (!(err instanceof Error)) return fields;
  return { ...fields, err: { name: err.name, message: err.message, code: (err as { code?: unknown }).code } };
}

export function createLogger(base: Record<string, unknown>, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: string, fields: Record<string, unknown>, msg: string): void => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, ...base, ...errorFields(fields), msg })}\n`);
  };
  return {
    info: (f, m) => emit('info', f, m),
    warn: (f, m) => emit('warn', f, m),
    error: (f, m) => emit('error', f, m),
    child: (f) => createLogger({ ...base, ...f }, write),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silentLogger };
