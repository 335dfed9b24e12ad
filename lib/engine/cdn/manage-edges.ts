import { and, eq, ne } from 'drizzle-orm';
import { edges, type EdgeRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { SERIES } from '../metrics/metric-event';
import { summarizeRange } from '../metrics/query-rollups';
import { normalizeEdgeUrl } from './edge-client';
import { toEdgeView, type EdgeView } from './edge-view';
import { probeEdge } from './probe-edge';
import { snapshotOf } from './stats-delta';

export type EdgeInput = { url: string; region: string; provider?: string; purge_token: string };
export type EdgePatch = Partial<EdgeInput>;

const HOUR = 3_600_000;

export function edgeRow(engine: Engine, id: number): EdgeRow {
  const row = engine.db.select().from(edges).where(eq(edges.id, id)).get();
  if (!row) throw new AppError('EDGE_NOT_FOUND', `no edge ${id}`);
  return row;
}

function lastHour(engine: Engine, id: number): { hits: number; requests: number } {
  const range = { to: engine.now(), from: engine.now() - HOUR };
  const sum = (series: string) => summarizeRange(engine, { series, dim: `e:${id}`, percentiles: false, ...range }).sum;
  return { hits: sum(SERIES.edgeHits), requests: sum(SERIES.edgeRequests) };
}

export function edgeView(engine: Engine, row: EdgeRow): EdgeView {
  return toEdgeView(row, lastHour(engine, row.id));
}

export function listEdges(engine: Engine): EdgeView[] {
  return engine.db
    .select()
    .from(edges)
    .orderBy(edges.region, edges.url)
    .all()
    .map((r) => edgeView(engine, r));
}

export function getEdge(engine: Engine, id: number): EdgeView {
  return edgeView(engine, edgeRow(engine, id));
}

function assertUrlFree(engine: Engine, url: string, exceptId?: number): void {
  const taken = engine.db
    .select({ id: edges.id })
    .from(edges)
    .where(exceptId === undefined ? eq(edges.url, url) : and(eq(edges.url, url), ne(edges.id, exceptId)))
    .get();
  if (taken) throw new AppError('EDGE_EXISTS', `the edge ${url} is already registered (edge ${taken.id})`, { field: 'url' });
}

/**
 * Register an edge after probing it (health says role "edge", the purge token is accepted,
 * statistics answer): it starts healthy, its statistics then are the first collection's baseline.
 */
export async function registerEdge(engine: Engine, input: EdgeInput): Promise<EdgeView> {
  const url = normalizeEdgeUrl(input.url);
  assertUrlFree(engine, url);
  const stats = await probeEdge(url, input.purge_token);
  assertUrlFree(engine, url);
  const now = engine.now();
  const row = engine.db
    .insert(edges)
    .values({
      url,
      region: input.region,
      provider: input.provider || 'torsh-edge',
      purgeToken: input.purge_token,
      state: 'healthy',
      failures: 0,
      lastCheckAt: now,
      lastError: null,
      lastStats: JSON.stringify(snapshotOf(stats)),
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  return edgeView(engine, row);
}

/**
 * Change an edge. A new URL or purge token is probed first (with the token it will be used with);
 * a new URL is another process, so its statistics start from a new baseline.
 */
export async function updateEdge(engine: Engine, id: number, patch: EdgePatch): Promise<EdgeView> {
  const row = edgeRow(engine, id);
  const url = patch.url !== undefined ? normalizeEdgeUrl(patch.url) : row.url;
  const token = patch.purge_token ?? row.purgeToken;
  const now = engine.now();
  const set: Partial<EdgeRow> = { updatedAt: now };
  if (patch.region !== undefined) set.region = patch.region;
  if (patch.provider !== undefined) set.provider = patch.provider || 'torsh-edge';
  if (url !== row.url || token !== row.purgeToken) {
    if (url !== row.url) assertUrlFree(engine, url, id);
    const stats = await probeEdge(url, token);
    Object.assign(set, { url, purgeToken: token, state: 'healthy', failures: 0, lastCheckAt: now, lastError: null });
    if (url !== row.url) set.lastStats = JSON.stringify(snapshotOf(stats));
  }
  const updated = engine.db.update(edges).set(set).where(eq(edges.id, id)).returning().get();
  if (!updated) throw new AppError('EDGE_NOT_FOUND', `no edge ${id}`);
  return edgeView(engine, updated);
}

/** Forget an edge (its recorded traffic stays in the metrics store under e:<id>). */
export function removeEdge(engine: Engine, id: number): { deleted: number } {
  const res = engine.db.delete(edges).where(eq(edges.id, id)).run();
  if (res.changes === 0) throw new AppError('EDGE_NOT_FOUND', `no edge ${id}`);
  return { deleted: id };
}
