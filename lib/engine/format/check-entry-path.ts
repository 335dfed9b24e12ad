import { AppError } from '../errors';

/** Why `path` is unsafe to extract, or null when it is a plain relative path. */
export function unsafeEntryPathReason(path: string): string | null {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/')) return 'is absolute';
  if (/^[a-zA-Z]:/.test(path)) return 'starts with a drive letter';
  // One trailing slash marks a directory entry; any other empty segment ('a//b') is rejected
  // so that two spellings of one path cannot slip past the duplicate check.
  const segments = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  if (segments.includes('..')) return "has a '..' segment";
  if (segments.includes('.')) return "has a '.' segment";
  if (segments.includes('')) return 'has an empty segment';
  return null;
}

/** Throws ENTRY_PATH_UNSAFE unless `path` stays inside the archive root. */
export function checkEntryPath(path: string): void {
  const reason = unsafeEntryPathReason(path);
  if (reason !== null) {
    throw new AppError('ENTRY_PATH_UNSAFE', `entry path ${JSON.stringify(path)} ${reason}`, { path });
  }
}

/** The path used to detect duplicates: a directory entry 'a/' names the same thing as 'a'. */
export function entryKey(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
