import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '@/lib/engine/errors';

/** Package coordinates keep their specific codes whichever layer rejects them. */
const FIELD_CODES: Record<string, ErrorCode> = { name: 'INVALID_PACKAGE_NAME', version: 'INVALID_VERSION' };

export type ErrorBody = { code: ErrorCode; message: string; fields?: Record<string, string[]> };

/** Normalise anything thrown by a handler into the public error shape (no internals leak). */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof ZodError) {
    const fields: Record<string, string[]> = {};
    for (const issue of err.issues) {
      const key = issue.path.join('.') || '_';
      (fields[key] ??= []).push(issue.message);
    }
    const first = err.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    const code = FIELD_CODES[String(first?.path[0])] ?? 'INVALID_INPUT';
    return { code, message: `${where}${first?.message ?? 'invalid input'}`, fields };
  }
  console.error('unexpected error', err instanceof Error ? err.stack : err);
  return { code: 'INTERNAL', message: 'internal error; the server log has details' };
}
