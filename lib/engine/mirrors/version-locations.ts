import type { MirrorState } from '@/db/schema';
import type { Engine } from '../engine';
import { findDownload } from '../registry';
import { getSelectionStrategy } from './mirror-settings';
import { selectMirrors, type RandomInt, type SelectionStrategy } from './select-mirror';

export type Location = {
  url: string;
  kind: 'mirror' | 'edge' | 'origin';
  id: number | null;
  region: string | null;
  state: MirrorState;
  latency_ms: number | null;
};

export type LocationsView = {
  name: string;
  version: string;
  digest: string;
  size: number;
  strategy: SelectionStrategy;
  region: string | null;
  locations: Location[];
};

export type LocationsInput = {
  name: string;
  /** An exact version, `latest` or a channel: the URLs name the exact version it resolves to. */
  ref: string;
  /** The client's region (already resolved by the caller), or null. */
  region: string | null;
  /** This origin's base URL (TORSH_PUBLIC_URL, else the request's own host). */
  originUrl: string;
  random?: RandomInt;
};

type MirrorCandidate = { id: number; url: string; region: string; priority: number; weight: number; state: MirrorState; latencyMs: number | null; load: number | null };

const downloadUrl = (base: string, name: string, version: string) =>
  `${base.replace(/\/+$/, '')}/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`;

/**
 * The feed position a follower needs to hold this version: its publish change, or, when the
 * package changed visibility since, the last such change (a package made public after the
 * publish reaches anonymous followers only then). Null when the feed never carried the publish.
 */
function requiredPosition(engine: Engine, name: string, version: string): number | null {
  const row = engine.db.$client
    .prepare(
      `SELECT max(seq) AS seq FROM changes WHERE name = ? AND (
         (kind = 'publish' AND version = ?)
         OR (kind = 'visibility' AND seq > (SELECT max(seq) FROM changes WHERE name = ? AND kind = 'publish' AND version = ?)))`,
    )
    .get(name, version, name, version) as { seq: number | null };
  return row.seq;
}

function holdingMirrors(engine: Engine, needed: number): MirrorCandidate[] {
  return engine.db.$client
    .prepare(
      `SELECT id, url, region, priority, weight, state, last_latency_ms AS latencyMs, load FROM mirrors
       WHERE state IN ('healthy', 'degraded') AND position IS NOT NULL AND position >= ?`,
    )
    .all(needed) as MirrorCandidate[];
}

/** Healthy edges, the client's region first. The edges table is the CDN area's; this only reads it. */
function healthyEdges(engine: Engine, region: string | null): { id: number; url: string; region: string }[] {
  const rows = engine.db.$client.prepare(`SELECT id, url, region FROM edges WHERE state = 'healthy' ORDER BY id`).all() as { id: number; url: string; region: string }[];
  return rows.sort((a, b) => Number(b.region === region) - Number(a.region === region));
}

/**
 * Where a version can be downloaded, best first: mirrors that hold it (healthy, then degraded,
 * each ordered by the selection strategy), then healthy edges, then this origin. Mirrors and
 * edges only ever carry public packages: a restricted or private one lists the origin alone.
 * The caller has checked the Download permission on the package.
 */
export function versionLocations(engine: Engine, input: LocationsInput): LocationsView {
  const { pkg, row } = findDownload(engine, input.name, input.ref);
  const strategy = getSelectionStrategy(engine);
  const locations: Location[] = [];
  if (pkg.visibility === 'public') {
    const needed = requiredPosition(engine, pkg.name, row.version);
    if (needed !== null) {
      for (const m of selectMirrors(holdingMirrors(engine, needed), strategy, { region: input.region, random: input.random })) {
        locations.push({ url: downloadUrl(m.url, pkg.name, row.version), kind: 'mirror', id: m.id, region: m.region, state: m.state, latency_ms: m.latencyMs });
      }
    }
    for (const e of healthyEdges(engine, input.region)) {
      locations.push({ url: downloadUrl(e.url, pkg.name, row.version), kind: 'edge', id: e.id, region: e.region, state: 'healthy', latency_ms: null });
    }
  }
  locations.push({ url: downloadUrl(input.originUrl, pkg.name, row.version), kind: 'origin', id: null, region: null, state: 'healthy', latency_ms: null });
  return { name: pkg.name, version: row.version, digest: `sha256:${row.digest}`, size: row.size, strategy, region: input.region, locations };
}
