import type { ErrorCode } from '@/lib/engine/errors';

/** The one place where error codes become HTTP statuses. Unlisted codes are 422 (bad package). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_PACKAGE_NAME: 400,
  INVALID_VERSION: 400,
  UPLOAD_ABORTED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PACKAGE_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  BLOB_NOT_FOUND: 404,
  PACKAGE_VERSION_EXISTS: 409,
  BODY_TOO_LARGE: 413,
  RANGE_NOT_SATISFIABLE: 416,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code] ?? 422;
}
