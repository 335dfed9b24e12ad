/** Exit codes a script can rely on (documented in `torsh --help` and lib/cli/README.md). */
export const EXIT = {
  OK: 0,
  USAGE: 1,
  UNAVAILABLE: 2,
  AUTH: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  VALIDATION: 6,
  INTEGRITY: 7,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  usage error (bad arguments, missing file, an unconfirmed delete)
  2  network error or server unavailable (after retries), 5xx, 429; a backup repository that cannot be reached
  3  authentication or permission (401/403); a wrong backup repository password
  4  not found (404); no backup repository or snapshot there
  5  conflict (409, e.g. the version is already published or was deleted); a backup repository that
     exists (init) or is locked, a restore target that is not empty
  6  validation (400/413/422, or a local package check)
  7  integrity or verification failure (digest or signature mismatch, untrusted key, decryption failure,
     damaged backup data found by torsh backup verify,
     a registry answer that fails a check, e.g. a version that is not semver)`;

/** An error with the exit code it maps to; `code` is the server's (or engine's) error code, if any. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code?: string;

  constructor(exitCode: ExitCode, message: string, code?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.code = code;
  }
}

/** A failed HTTP exchange: the server answered with a non-2xx status. */
export class HttpError extends CliError {
  readonly status: number;

  constructor(status: number, message: string, code?: string) {
    super(exitCodeForStatus(status), message, code);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** No answer: connection refused or reset, DNS failure, inactivity timeout, a body cut short. */
export class NetworkError extends CliError {
  constructor(message: string, code?: string) {
    super(EXIT.UNAVAILABLE, message, code);
    this.name = 'NetworkError';
  }
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409) return EXIT.CONFLICT;
  if (status === 429 || status >= 500) return EXIT.UNAVAILABLE;
  return EXIT.VALIDATION;
}

// Engine (AppError) codes raised locally: format checks are validation, digests and decryption integrity.
const INTEGRITY_CODES = new Set(['CHECKSUM_MISMATCH', 'DIGEST_MISMATCH', 'DECRYPT_FAILED', 'ENCRYPTED_FORMAT_INVALID']);
const USAGE_CODES = new Set(['INVALID_INPUT']);
// Backup repository codes (torsh backup) with an exit code of their own.
const BACKUP_CODE_EXITS: Record<string, ExitCode> = {
  BACKUP_WRONG_PASSWORD: EXIT.AUTH,
  BACKUP_REPO_NOT_FOUND: EXIT.NOT_FOUND,
  BACKUP_SNAPSHOT_NOT_FOUND: EXIT.NOT_FOUND,
  BACKUP_REPO_EXISTS: EXIT.CONFLICT,
  BACKUP_REPO_LOCKED: EXIT.CONFLICT,
  BACKUP_RESTORE_TARGET_NOT_EMPTY: EXIT.CONFLICT,
  BACKUP_REPO_UNAVAILABLE: EXIT.UNAVAILABLE,
  BACKUP_CHUNK_MISSING: EXIT.INTEGRITY,
  BACKUP_CHUNK_DAMAGED: EXIT.INTEGRITY,
  BACKUP_PASSWORD_UNAVAILABLE: EXIT.USAGE,
};

function fsErrorMessage(err: NodeJS.ErrnoException): string | null {
  const where = err.path ? `: ${err.path}` : '';
  switch (err.code) {
    case 'ENOENT':
      return `no such file or directory${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${where}`;
    case 'EISDIR':
      return `is a directory${where}`;
    case 'ENOTDIR':
      return `not a directory${where}`;
    case 'EEXIST':
      return `already exists${where}`;
    default:
      return null;
  }
}

/** Exit code and stderr message (without the "torsh: " prefix) for anything thrown by a command. */
export function describeError(err: unknown): { exitCode: ExitCode; message: string } {
  if (err instanceof CliError) {
    // The code of a registry answer or a local check; a socket error code is already in the message.
    const showCode = err.code && !(err instanceof NetworkError);
    return { exitCode: err.exitCode, message: showCode ? `${err.message} (${err.code})` : err.message };
  }
  if (err instanceof Error && err.name === 'AppError') {
    const code = (err as Error & { code: string }).code;
    const exitCode = BACKUP_CODE_EXITS[code] ?? (INTEGRITY_CODES.has(code) ? EXIT.INTEGRITY : USAGE_CODES.has(code) ? EXIT.USAGE : EXIT.VALIDATION);
    return { exitCode, message: `${err.message} (${code})` };
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
    const fsMessage = fsErrorMessage(err as NodeJS.ErrnoException);
    if (fsMessage) return { exitCode: EXIT.USAGE, message: fsMessage };
  }
  return { exitCode: EXIT.USAGE, message: err instanceof Error ? err.message : String(err) };
}
