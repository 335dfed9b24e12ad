import type { Config, FailoverConfig } from './config';
import { CliError, EXIT, HttpError, NetworkError } from './exit-codes';
import { fetchPackage, type FetchResult, type FetchTarget } from './fetch-package';
import { bareDigest } from './hash-file';
import { enc, requestJson } from './http-client';
import { note } from './output';
import type { PackageCache } from './package-cache';
import { cleanLine } from './sanitize';
import { FailoverMemory } from './failover-memory';

/** One entry of `GET /api/v1/packages/{name}/{version}/locations` (docs/API.md). */
export type Location = { url: string; kind: string; id?: number | string | null; region?: string | null; state?: string | null };
export type LocationsAnswer = { name: string; version: string; digest: string; size: number; strategy?: string; region?: string | null; locations: Location[] };

export type Failure = { url: string; kind: string; error: string };
export type FailoverResult = FetchResult & { source: Location | null; failures: Failure[] };

export const downloadPath = (name: string, version: string) => `/api/v1/packages/${enc(name)}/${enc(version)}/download`;

/** The registry's own download URL: the last resort after every location it named. */
export function registryLocation(cfg: Config, target: FetchTarget): Location {
  return { url: new URL(downloadPath(target.name, target.version).slice(1), `${cfg.registry}/`).href, kind: 'origin', region: null };
}

/** "http://m1/… (mirror eu-west)". */
export function describeLocation(loc: Location): string {
  const what = [cleanLine(loc.kind), loc.region ? cleanLine(String(loc.region)) : ''].filter(Boolean).join(' ');
  return `${cleanLine(loc.url)} (${what})`;
}

/**
 * Asks the registry where the version can be fetched. null when the registry has no locations
 * route (an older registry, or ROUTE_NOT_FOUND) or cannot answer it: the caller then downloads
 * from the registry as before. Entries that are not http(s) URLs are dropped.
 */
export async function fetchLocations(cfg: Config, fo: FailoverConfig, target: FetchTarget): Promise<Location[] | null> {
  const query = fo.region ? `?region=${enc(fo.region)}` : '';
  let answer: LocationsAnswer;
  try {
    // One attempt: the download itself retries, and a registry without the route answers 404 at once.
    answer = (await requestJson<LocationsAnswer>({ ...cfg, retries: 0, timeoutMs: fo.attemptTimeoutMs || cfg.timeoutMs }, { method: 'GET', path: `/api/v1/packages/${enc(target.name)}/${enc(target.version)}/locations${query}` })).body;
  } catch (err) {
    if (err instanceof HttpError && (err.status === 404 || err.status === 405 || err.status === 501)) return null;
    // Locations are an optimisation: whatever went wrong, the registry's own route still works.
    note(`torsh: warning: could not get the locations of ${target.name}@${target.version} (${(err as Error).message}); downloading from the registry\n`);
    return null;
  }
  if (!answer || !Array.isArray(answer.locations)) return null;
  const digest = bareDigest(answer.digest);
  if (digest && digest !== target.digest) {
    throw new CliError(EXIT.INTEGRITY, `the registry reports two digests for ${target.name}@${target.version} (sha256:${target.digest} and sha256:${digest})`);
  }
  return answer.locations.filter((loc): loc is Location => {
    if (!loc || typeof loc.url !== 'string' || typeof loc.kind !== 'string') return false;
    try {
      const u = new URL(loc.url);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  });
}

// A location that refuses connections, does not resolve or stays silent is failed over at once:
// retrying it only delays the download. Other failures (5xx, 429, a dropped body) get retries.
const DOWN_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ETIMEDOUT']);

export function isTransient(err: unknown): boolean {
  if (err instanceof HttpError) return err.status >= 500 || err.status === 429;
  if (err instanceof NetworkError) return !DOWN_CODES.has(err.code ?? '');
  return false;
}

/** Failures that mean "try the next location"; anything else (a full disk, a bad output path) ends the download. */
function worthFailingOver(err: unknown): boolean {
  return err instanceof HttpError || err instanceof NetworkError || (err instanceof CliError && err.exitCode === EXIT.INTEGRITY);
}

export type FailoverOptions = {
  cache: PackageCache | null;
  /** Remembers failed locations between runs when fail-back is off. */
  memory?: FailoverMemory | null;
};

/** The mirrors and edges of a locations answer; the origin's entry is reached through the configured registry instead. */
export function namedLocations(cfg: Config, target: FetchTarget, locations: Location[]): Location[] {
  const own = registryLocation(cfg, target).url;
  return locations.filter((loc) => loc.kind !== 'origin' && loc.url !== own);
}

/**
 * Tries the mirrors and edges in `locations` in order, then the registry's own download route:
 * each mirror or edge with `attemptTimeoutMs` of allowed silence and `maxRetries` retries
 * `retryDelayMs` apart for transient failures; the registry as every download did before
 * (`--timeout`, `--retries` with backoff). The origin's own entry is not fetched by its URL: the
 * registry the user configured is the same server, reached the way the user chose (a proxy, a
 * cache), with the token. The bytes stream to OUT.partial while hashed and must match the
 * registry's digest (`target.digest`, never a location's header), else the next location is
 * tried. The token goes only to the registry's origin. A body cut off at one location is resumed
 * at the next (Range + If-Range on the digest ETag); the digest covers the joined bytes, and a
 * resumed mismatch is fetched again from the start.
 */
export async function downloadFromLocations(cfg: Config, fo: FailoverConfig, target: FetchTarget, locations: Location[], out: string, opts: FailoverOptions): Promise<FailoverResult> {
  const named = namedLocations(cfg, target, locations);
  const ordered = [...(!fo.failback && opts.memory ? await opts.memory.order(named) : named), registryLocation(cfg, target)];
  const attemptCfg: Config = { ...cfg, timeoutMs: fo.attemptTimeoutMs, retries: fo.maxRetries };
  const failures: Failure[] = [];
  let lastError: unknown = null;
  for (const [i, loc] of ordered.entries()) {
    const label = describeLocation(loc);
    const isRegistry = i === ordered.length - 1;
    try {
      const result = isRegistry
        ? await fetchPackage(cfg, target, out, opts.cache)
        : await fetchPackage(attemptCfg, target, out, opts.cache, { url: loc.url, label, retryable: isTransient, delay: () => fo.retryDelayMs });
      if (!fo.failback && !isRegistry) await opts.memory?.succeeded(loc.url);
      return { ...result, source: result.fromCache ? null : loc, failures };
    } catch (err) {
      if (!worthFailingOver(err)) throw err;
      lastError = err;
      const message = (err as Error).message;
      failures.push({ url: loc.url, kind: loc.kind, error: message });
      if (!fo.failback && !isRegistry) await opts.memory?.failed(loc.url);
      const next = ordered[i + 1];
      note(`torsh: ${label} failed: ${message}${next ? `; trying ${describeLocation(next)}` : ''}\n`);
    }
  }
  const exitCode = lastError instanceof CliError ? lastError.exitCode : EXIT.UNAVAILABLE;
  throw new CliError(exitCode, `${target.name}@${target.version}: every location failed (${failures.length} tried)`);
}
