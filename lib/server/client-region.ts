/** Set by a trusted proxy, CDN or edge in front of the origin: the client's region (e.g. `eu-west`). */
export const CLIENT_REGION_HEADER = 'x-client-region';

const REGION = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** The client's region when a trusted proxy named one (http-server drops the header otherwise). */
export function clientRegionOf(headers: Headers): string | null {
  const value = headers.get(CLIENT_REGION_HEADER)?.trim().toLowerCase();
  return value && REGION.test(value) ? value : null;
}
