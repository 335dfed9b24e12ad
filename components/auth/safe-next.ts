/**
 * A `?next=` target that stays on this site: a path starting with exactly one "/" and free of
 * backslashes and control characters. Browsers drop tabs and newlines inside URLs and read "\" as
 * "/", so "/\t/evil.com" or "/\evil.com" would otherwise become "//evil.com", a foreign host.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  return next;
}

export function loginHref(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}
