import { AppError } from '../errors';

/**
 * A mirror's base URL as stored: http(s), no credentials, query or fragment, no trailing slash
 * (a path prefix is kept). Loopback and private addresses are allowed: admins configure them.
 */
export function normalizeMirrorUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new AppError('INVALID_INPUT', `"${input.slice(0, 100)}" is not a URL (e.g. http://mirror-eu.example:8080)`, { field: 'url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('INVALID_INPUT', 'a mirror URL is http:// or https://', { field: 'url' });
  if (u.username || u.password) throw new AppError('INVALID_INPUT', 'a mirror URL carries no credentials', { field: 'url' });
  if (u.search || u.hash) throw new AppError('INVALID_INPUT', 'a mirror URL has no query or fragment', { field: 'url' });
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** A URL as audit rows name it: never any credentials it was (wrongly) given. */
export function mirrorUrlForLog(input: string): string {
  try {
    const u = new URL(input.trim());
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return input.trim().slice(0, 100);
  }
}
