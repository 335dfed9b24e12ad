import { AppError } from '@/lib/engine/errors';
import type { Engine } from '@/lib/engine/engine';
import { listRegionRanges, regionForAddress, REGION_RE } from '@/lib/engine/mirrors';
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
export function originBaseUrl(req: Request, env: Record<string, string | undefined> = process.env): string {
  const configured = env.TORSH_PUBLIC_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const url = URL.parse(req.url);
  if (!url) throw new AppError('INVALID_INPUT', 'the Host header is not a valid host[:port]');
  return url.origin;
}
