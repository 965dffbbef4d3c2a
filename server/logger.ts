/** Structured log lines. Callers pass facts, never secrets, tokens or WeCom URLs. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** How much is logged (LOG_LEVEL): each level includes the ones after it. */
export type LogLevel = 'info' | 'warn' | 'error';

/** The levels in order, for LOG_LEVEL's validation. */
export const LOG_LEVELS: readonly LogLevel[] = ['info', 'warn', 'error'];

/** A logger writing one JSON object per line to `write` (stderr by default), from `level` up. */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  level: LogLevel = 'info',
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const log =
    (name: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      write(JSON.stringify({time: new Date().toISOString(), level: name, message, ...fields}, errorReplacer));
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
