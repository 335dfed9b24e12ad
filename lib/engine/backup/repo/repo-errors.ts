import { AppError } from '../../errors';

/** A backend failure as BACKUP_REPO_UNAVAILABLE naming the location (never a secret). */
export function repoUnavailable(location: string, action: string, err: unknown): AppError {
  if (err instanceof AppError) {
    if (err.code.startsWith('BACKUP_') || err.code === 'INVALID_INPUT') return err;
    // Storage failures already say what was being done and why.
    return new AppError('BACKUP_REPO_UNAVAILABLE', `backup repository ${location}: ${err.message}`, {
      location,
      ...(err.details ?? {}),
    });
  }
  const e = err as NodeJS.ErrnoException;
  const reason = e?.code ? `${e.code}: ${e.message}` : (e?.message ?? String(err));
  return new AppError('BACKUP_REPO_UNAVAILABLE', `backup repository ${location}: ${action} failed: ${reason}`, { location });
}
