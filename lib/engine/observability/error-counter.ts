import { Counter, Registry } from 'prom-client';
import { logger } from './log';

/** The process's Prometheus registry (exported at /metrics by the metrics area). */
export const promRegistry = new Registry();

const errorsTotal = new Counter({
  name: 'torsh_errors_total',
  help: 'Errors that ended a request or transfer, by where they happened',
  labelNames: ['where'] as const,
  registers: [promRegistry],
});

/** What error reporting reads back (tests, the health page): errors counted so far by place. */
export async function errorCounts(): Promise<Record<string, number>> {
  const metric = await errorsTotal.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.where), v.value]));
}

/**
 * An error nobody can answer any more (the client went away, a stream broke mid-transfer):
 * logged as one structured line and counted, never swallowed silently.
 */
export function reportError(where: string, err: unknown, fields: Record<string, unknown> = {}): void {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  // A client hanging up is routine (range probes, cancelled downloads): counted apart, logged at info.
  const clientGone = code !== undefined && CLIENT_GONE.has(code);
  const label = clientGone ? `${where}.client_gone` : where;
  errorsTotal.inc({ where: label });
  const e = err instanceof Error ? { name: err.name, message: err.message, code } : String(err);
  if (clientGone) logger.info({ where: label, err: e, ...fields }, `${where}: client went away`);
  else logger.error({ where, err: e, ...fields }, `${where} failed`);
}

/** Count an error that was logged elsewhere. */
export function countError(where: string): void {
  errorsTotal.inc({ where });
}

const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED', 'HPE_INVALID_EOF_STATE']);
