import { AppError } from '@/lib/engine/errors';
import type { Engine } from '@/lib/engine/engine';
import { listRegionRanges, regionForAddress, REGION_RE, versionLocations } from '@/lib/engine/mirrors';
import { clientRegionOf } from './client-region';

/** A client names its region itself: `?region=` or this header. */
export const CLIENT_NAMED_REGION_HEADER = 'x-torsh-region';

/**
 * The client's region for geographic selection: what it asked for (`?region=`, X-Torsh-Region),
 * else what a trusted proxy said (X-Client-Region), else the region-range table by its address.
 */
export function clientRegionFor(engine: Engine, headers: Headers, asked: string | null, clientAddr: string | null): string | null {
  if (asked) return asked;
  const header = headers.get(CLIENT_NAMED_REGION_HEADER)?.trim().toLowerCase();
  if (header && REGION_RE.test(header)) return header;
  return clientRegionOf(headers) ?? regionForAddress(listRegionRanges(engine), clientAddr);
}

/**
 * This origin's base URL in download locations: TORSH_PUBLIC_URL, else the request's own scheme
 * and Host. The Host is client input: it only ever names the origin in the answer to that client.
 */
export function originBaseUrl(req: Pick<Request, 'url'>, env: Record<string, string | undefined> = process.env): string {
  const configured = env.TORSH_PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const url = URL.parse(req.url);
  if (!url) throw new AppError('INVALID_INPUT', 'the Host header is not a valid host[:port]');
  return url.origin;
}

type LocationRequest = { name: string; ref: string; region: string | null; clientAddr: string | null };

/** A version's download locations as this request sees them: its region, this origin's URL. */
export function locationsFor(engine: Engine, req: Request, q: LocationRequest) {
  const region = clientRegionFor(engine, req.headers, q.region, q.clientAddr);
  return versionLocations(engine, { name: q.name, ref: q.ref, region, originUrl: originBaseUrl(req) });
}

/** Redirect mode of a download: a 302 to the best mirror or edge holding the version, or null to serve it here. */
export function redirectToBestLocation(engine: Engine, req: Request, q: LocationRequest): Response | null {
  const best = locationsFor(engine, req, q).locations.find((l) => l.kind !== 'origin');
  return best ? new Response(null, { status: 302, headers: { location: best.url, 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' } }) : null;
}
