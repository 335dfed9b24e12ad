import { countError } from '@/lib/engine/observability/error-counter';
import { logger } from '@/lib/engine/observability/log';

type Level = 'info' | 'warn' | 'error';

function describe(err: unknown): Record<string, unknown> | string | undefined {
  if (err === undefined) return undefined;
  if (!(err instanceof Error)) return String(err);
  const { code } = err as NodeJS.ErrnoException;
  return { name: err.name, message: err.message, ...(code ? { code } : {}) };
}

/**
 * One structured JSON line on stderr (pino): `{time, level, msg, err, ...fields}`; a line with an
 * error is also counted (torsh_errors_total{where=msg}). The error is described by name, message
 * and code only; callers pass ids, never secrets.
 */
export function log(level: Level, msg: string, err?: unknown, fields: Record<string, unknown> = {}): void {
  if (err !== undefined) countError(msg);
  logger[level]({ ...fields, err: describe(err) }, msg);
}
