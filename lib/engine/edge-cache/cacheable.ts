type RawHeaders = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/**
 * May a shared cache keep this answer? Only a 200 the origin marks `public` and none of
 * `private`, `no-store`, `no-cache` (a moving name such as `latest` is `public, no-cache`:
 * it must be revalidated each time, so the edge passes it through).
 */
export function isCacheable(status: number, cacheControl: string | undefined): boolean {
  if (status !== 200 || !cacheControl) return false;
  const directives = new Set(cacheControl.split(',').map((d) => d.trim().split('=')[0].toLowerCase()));
  return directives.has('public') && !directives.has('private') && !directives.has('no-store') && !directives.has('no-cache');
}

const REPLAYED = new Set(['etag', 'content-type', 'content-disposition', 'cache-control']);

/** The origin's headers worth storing with an entry and replaying on every hit. */
export function replayHeaders(headers: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const v = first(value);
    if (v !== undefined && (REPLAYED.has(lower) || lower.startsWith('x-torsh-'))) out[lower] = v;
  }
  return out;
}

/** `sha256:<hex>` from X-Torsh-Digest (or a strong ETag of that shape), when the origin sent one. */
export function expectedDigest(headers: Record<string, string>): string | undefined {
  const raw = headers['x-torsh-digest'] ?? headers.etag?.replace(/^"|"$/g, '');
  const m = raw ? /^sha256:([0-9a-f]{64})$/.exec(raw) : null;
  return m ? m[1] : undefined;
}
