import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '@/lib/engine/errors';
import { reportError } from '@/lib/engine/observability/error-counter';

/** Package coordinates in a URL keep their specific codes whichever layer rejects them. */
const PARAM_CODES: Record<string, ErrorCode> = { name: 'INVALID_PACKAGE_NAME', version: 'INVALID_VERSION' };
/** The route wrapper validates { params, query, json }; messages name the field only. */
const ROUTE_PARTS = new Set(['params', 'query', 'json']);

function codeFor(path: PropertyKey[]): ErrorCode {
  if (path[0] === 'params' && PARAM_CODES[String(path[1])]) return PARAM_CODES[String(path[1])];
  if (path.some((p) => p === 'permissions' || p === 'scopes')) return 'UNKNOWN_PERMISSION';
  return 'INVALID_INPUT';
}

export type ErrorBody = { code: ErrorCode; message: string; fields?: Record<string, string[]> };

/** Normalise anything thrown by a handler into the public error shape (no internals leak). */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof ZodError) {
    const fields: Record<string, string[]> = {};
    const field = (path: PropertyKey[]) => (ROUTE_PARTS.has(String(path[0])) ? path.slice(1) : path).join('.');
    for (const issue of err.issues) (fields[field(issue.path) || '_'] ??= []).push(issue.message);
    const first = err.issues[0];
    const where = first && field(first.path) ? `${field(first.path)}: ` : '';
    return { code: codeFor(first?.path ?? []), message: `${where}${first?.message ?? 'invalid input'}`, fields };
  }
  reportError('handler.unexpected', err, { stack: err instanceof Error ? err.stack : undefined });
  return { code: 'INTERNAL', message: 'internal error; the server log has details' };
}
