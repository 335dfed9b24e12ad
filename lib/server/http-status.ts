import type { ErrorCode } from '@/lib/engine/errors';

/** The one place where error codes become HTTP statuses. Unlisted codes are 422 (bad package). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_PACKAGE_NAME: 400,
  INVALID_VERSION: 400,
  UPLOAD_ABORTED: 400,
  UNKNOWN_PERMISSION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  USER_NOT_FOUND: 404,
  ROLE_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  SETUP_DONE: 409,
  USER_EXISTS: 409,
  ROLE_EXISTS: 409,
  ROLE_BUILT_IN: 409,
  LAST_ADMIN: 409,
  LAST_OWNER: 409,
  RATE_LIMITED: 429,
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
