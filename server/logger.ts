/** Structured log lines. Callers pass facts, never secrets, tokens or WeCom URLs. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger writing one JSON object per line to `write` (stderr by default). */
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const log = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    write(JSON.stringify({time: new Date().toISOString(), level, message, ...fields}, errorReplacer));
  };
  return {info: log('info'), warn: log('warn'), error: log('error')};
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const cause: unknown = value.cause;
    return {name: value.name, message: value.message, stack: value.stack, ...(cause !== undefined && {cause})};
  }
  return value;
}
