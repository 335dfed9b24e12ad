import { AppError } from '../errors';

/** Errors that mean the disk (or the user's quota, or the database file) is full. */
const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

export function isOutOfSpace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && OUT_OF_SPACE.has(code);
}

/** A failure while storing, as callers should see it: out of space is INSUFFICIENT_STORAGE (507). */
export function storageError(err: unknown): unknown {
  if (!isOutOfSpace(err)) return err;
  return new AppError(
    'INSUFFICIENT_STORAGE',
    'the registry has run out of storage space, so nothing was stored; try again later or ask an administrator to free space',
  );
}
