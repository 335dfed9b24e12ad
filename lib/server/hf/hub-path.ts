/** A request to the Hub API, as its path says it (lib/server/hf/serve-hub.ts answers it). */
export type HubRequest =
  | { kind: 'model-info'; repo: string[]; rev: string }
  | { kind: 'tree'; repo: string[]; rev: string; path: string }
  | { kind: 'paths-info'; repo: string[]; rev: string }
  | { kind: 'resolve'; repo: string[]; rev: string; path: string };

export type HubPathMatch = { ok: true; request: HubRequest } | { ok: false; status: 400; message: string } | null;

function decode(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** `..` segments, a leading `/`, a backslash or an empty segment: never a file of a package. */
export function unsafeFilePath(path: string): string | null {
  if (path.startsWith('/')) return 'a file path may not start with "/"';
  if (path.includes('\\')) return 'a file path may not hold a backslash';
  const parts = path.split('/');
  if (parts.includes('..') || parts.includes('.')) return 'a file path may not hold "." or ".." segments';
  if (parts.some((p) => p === '')) return 'a file path may not hold empty segments';
  return null;
}

function repoAndRest(parts: string[], marker: string): { repo: string[]; rest: string[] } | undefined {
  // `{ns}/{name}/{marker}/…` or the bare `{name}/{marker}/…`.
  if (parts[1] === marker) return { repo: parts.slice(0, 1), rest: parts.slice(2) };
  if (parts[2] === marker) return { repo: parts.slice(0, 2), rest: parts.slice(3) };
  return undefined;
}

/**
 * Match a pathname against the Hub's read routes: `/api/models/…` (info, tree, paths-info) and
 * `/{ns}/{name}/resolve/{rev}/{path}`; null when it is none of them (the caller falls through).
 * The revision is one segment (the clients percent-encode it); the file path keeps its slashes.
 */
export function matchHubPath(method: string, pathname: string): HubPathMatch {
  const raw = pathname.split('/').slice(1);
  if (raw[0] === 'api' && raw[1] === 'models') {
    const parts = decode(raw.slice(2));
    if (!parts) return bad('the path holds malformed percent-encoding');
    if (parts.length === 0) return null;
    if (method === 'GET' || method === 'HEAD') {
      if (parts.length <= 2 && parts.every((p) => p !== '')) return ok({ kind: 'model-info', repo: parts, rev: 'main' });
      const info = repoAndRest(parts, 'revision');
      if (info && info.rest.length === 1 && info.rest[0] !== '') return ok({ kind: 'model-info', repo: info.repo, rev: info.rest[0] });
      const tree = repoAndRest(parts, 'tree');
      if (tree && tree.rest.length >= 1 && tree.rest[0] !== '') {
        // listFiles does not percent-encode the revision: `refs/heads/main` arrives as three segments.
        const revParts = tree.rest[0] === 'refs' && tree.rest.length >= 3 ? 3 : 1;
        const rev = tree.rest.slice(0, revParts).join('/');
        const path = tree.rest.slice(revParts).join('/').replace(/\/$/, '');
        if (path !== '') {
          const why = unsafeFilePath(path);
          if (why) return bad(why);
        }
        return ok({ kind: 'tree', repo: tree.repo, rev, path });
      }
    }
    if (method === 'POST') {
      const pi = repoAndRest(parts, 'paths-info');
      if (pi && pi.rest.length === 1 && pi.rest[0] !== '') return ok({ kind: 'paths-info', repo: pi.repo, rev: pi.rest[0] });
    }
    return null;
  }
  if (method !== 'GET' && method !== 'HEAD') return null;
  const r = repoAndRest(raw, 'resolve');
  if (!r || r.rest.length < 2 || r.repo.some((p) => p === '' || p === 'api')) return null;
  const parts = decode(r.rest);
  if (!parts) return bad('the path holds malformed percent-encoding');
  const path = parts.slice(1).join('/');
  // A leading "/" shows up as an empty first segment after the revision.
  const why = unsafeFilePath(path);
  if (why) return bad(why);
  return ok({ kind: 'resolve', repo: decode(r.repo) ?? r.repo, rev: parts[0], path });
}

function ok(request: HubRequest): HubPathMatch {
  return { ok: true, request };
}

function bad(message: string): HubPathMatch {
  return { ok: false, status: 400, message };
}
