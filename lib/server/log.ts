type Level = 'info' | 'warn' | 'error';

function describe(err: unknown): Record<string, unknown> | string | undefined {
  if (err === undefined) return undefined;
  if (!(err instanceof Error)) return String(err);
  const { code } = err as NodeJS.ErrnoException;
  return { name: err.name, message: err.message, ...(code ? { code } : {}) };
}

/**
 * One structured JSON line on stderr: `{time, level, msg, err, ...fields}`. The error is
 * described by name, message and code only; callers pass ids, never secrets.
 */
export function log(level: Level, msg: string, err?: unknown, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields, err: describe(err) })}\n`);
}
