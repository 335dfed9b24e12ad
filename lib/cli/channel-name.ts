// DESIGN §4: channel names are never valid semver and never one of the version route's own words.
const CHANNEL_RE = /^[a-z][a-z0-9-]{0,31}$/;
const ROUTE_WORDS = new Set(['latest', 'channels', 'access', 'grants', 'download', 'locations', 'replicas', 'downloads']);

export function isChannelName(name: string): boolean {
  return CHANNEL_RE.test(name) && !ROUTE_WORDS.has(name);
}
