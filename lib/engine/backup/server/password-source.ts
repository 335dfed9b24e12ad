import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors';

/**
 * Where the server reads a repository's password at each use: a file (a mounted secret) or an
 * environment variable. Only the source is stored; the password never is, nor logged, audited
 * or returned.
 */
export type PasswordSource = { type: 'file'; path: string } | { type: 'env'; name: string };

/** Only variables named for the purpose: a source naming AWS_SECRET_ACCESS_KEY would make the server test other secrets as passwords. */
export const PASSWORD_ENV_RE = /^TORSH_BACKUP_PASSWORD(?:_[A-Z0-9_]{1,64})?$/;

export function assertPasswordSource(source: PasswordSource): void {
  if (source.type === 'file') {
    if (!path.isAbsolute(source.path) || source.path.includes('\0')) {
      throw new AppError('INVALID_INPUT', 'the password file is an absolute path', { field: 'password_source.path' });
    }
    return;
  }
  if (!PASSWORD_ENV_RE.test(source.name)) {
    throw new AppError('INVALID_INPUT', 'the password variable is TORSH_BACKUP_PASSWORD or TORSH_BACKUP_PASSWORD_<NAME> (uppercase letters, digits, "_")', {
      field: 'password_source.name',
    });
  }
}

/** Where it is, for messages (never the password). */
export function describePasswordSource(source: PasswordSource): string {
  return source.type === 'file' ? `password file ${source.path}` : `environment variable ${source.name}`;
}

/** The password, read now: a file's content without one trailing newline (`echo pw > file`). BACKUP_PASSWORD_UNAVAILABLE when it cannot be read or is empty. */
export async function readPassword(source: PasswordSource, env: Record<string, string | undefined> = process.env): Promise<string> {
  assertPasswordSource(source);
  let value: string | undefined;
  if (source.type === 'file') {
    try {
      value = (await readFile(source.path, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by the server' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
      throw new AppError('BACKUP_PASSWORD_UNAVAILABLE', `the ${describePasswordSource(source)} ${why}`);
    }
  } else {
    value = env[source.name];
    if (value === undefined) throw new AppError('BACKUP_PASSWORD_UNAVAILABLE', `the ${describePasswordSource(source)} is not set in the server's environment`);
  }
  if (value.length === 0) throw new AppError('BACKUP_PASSWORD_UNAVAILABLE', `the ${describePasswordSource(source)} is empty`);
  return value;
}
