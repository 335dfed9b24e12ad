import { and, asc, desc, eq, lt, ne } from 'drizzle-orm';
import { mirrorChecks, mirrors, type MirrorRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { mirrorCheckConfig } from './mirror-config';
import { normalizeMirrorUrl } from './mirror-url';
import { mirrorCheckView, mirrorView, type MirrorCheckView, type MirrorView } from './mirror-views';
import { probeError, probeMirror, type ProbeResult } from './probe-mirror';
import { lagOf, recordCheck } from './record-check';

export type MirrorInput = { url: string; region: string; priority?: number; weight?: number };
export type MirrorPatch = Partial<MirrorInput>;
export type ProbeFn = (url: string) => Promise<ProbeResult>;

const defaultProbe: ProbeFn = (url) => probeMirror(url, { timeoutMs: mirrorCheckConfig().probeTimeoutMs });

export function listMirrors(engine: Engine): MirrorView[] {
  return engine.db.select().from(mirrors).orderBy(asc(mirrors.priority), asc(mirrors.id)).all().map(mirrorView);
}

export function getMirrorRow(engine: Engine, id: number): MirrorRow {
  const row = engine.db.select().from(mirrors).where(eq(mirrors.id, id)).get();
  if (!row) throw new AppError('MIRROR_NOT_FOUND', `no mirror ${id}`);
  return row;
}

function assertUrlFree(engine: Engine, url: string, except?: number): void {
  const clash = engine.db
    .select({ id: mirrors.id })
    .from(mirrors)
    .where(except === undefined ? eq(mirrors.url, url) : and(eq(mirrors.url, url), ne(mirrors.id, except)))
    .get();
  if (clash) throw new AppError('MIRROR_EXISTS', `${url} is already registered (mirror ${clash.id})`, { field: 'url' });
}

/** Probe first: a URL that does not answer as a registry is refused; one that does starts healthy. */
export async function addMirror(engine: Engine, input: MirrorInput, probe: ProbeFn = defaultProbe): Promise<MirrorView> {
  const url = normalizeMirrorUrl(input.url);
  assertUrlFree(engine, url);
  const result = await probe(url);
  if (!result.ok) throw probeError(result);
  assertUrlFree(engine, url);
  const now = engine.now();
  const row = engine.db
    .insert(mirrors)
    .values({
      url,
      region: input.region,
      priority: input.priority ?? 100,
      weight: input.weight ?? 100,
      state: 'healthy',
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  recordCheck(engine, row, result, lagOf(engine, result), { state: 'healthy', pendingState: null, pendingCount: 0, changed: false });
  return mirrorView(getMirrorRow(engine, row.id));
}

/** A new URL is probed like an add (and the mirror starts over as healthy); other fields just change. */
export async function updateMirror(engine: Engine, id: number, patch: MirrorPatch, probe: ProbeFn = defaultProbe): Promise<MirrorView> {
  const current = getMirrorRow(engine, id);
  const url = patch.url === undefined ? current.url : normalizeMirrorUrl(patch.url);
  const moved = url !== current.url;
  let result: ProbeResult | null = null;
  if (moved) {
    assertUrlFree(engine, url, id);
    result = await probe(url);
    if (!result.ok) throw probeError(result);
    assertUrlFree(engine, url, id);
  }
  const now = engine.now();
  engine.db
    .update(mirrors)
    .set({
      url,
      region: patch.region ?? current.region,
      priority: patch.priority ?? current.priority,
      weight: patch.weight ?? current.weight,
      updatedAt: now,
      ...(moved ? { state: 'healthy' as const, pendingState: null, pendingCount: 0, stateChangedAt: now } : {}),
    })
    .where(eq(mirrors.id, id))
    .run();
  if (result) recordCheck(engine, current, result, lagOf(engine, result), { state: 'healthy', pendingState: null, pendingCount: 0, changed: true });
  return mirrorView(getMirrorRow(engine, id));
}

/** Its history goes with it (cascade); its metric rollups stay, as every series' do. */
export function removeMirror(engine: Engine, id: number): { deleted: number } {
  getMirrorRow(engine, id);
  engine.db.delete(mirrors).where(eq(mirrors.id, id)).run();
  return { deleted: id };
}

/** Probe history of one mirror, newest first. */
export function listMirrorChecks(engine: Engine, id: number, page: { page: number; perPage: number }): { total: number; checks: MirrorCheckView[] } {
  getMirrorRow(engine, id);
  const total = Number(engine.db.$client.prepare('SELECT count(*) FROM mirror_checks WHERE mirror_id = ?').pluck().get(id));
  const rows = engine.db
    .select()
    .from(mirrorChecks)
    .where(eq(mirrorChecks.mirrorId, id))
    .orderBy(desc(mirrorChecks.at), desc(mirrorChecks.id))
    .limit(page.perPage)
    .offset((page.page - 1) * page.perPage)
    .all();
  return { total, checks: rows.map(mirrorCheckView) };
}

/** Drop probe history older than `before` (ms). */
export function pruneMirrorChecks(engine: Engine, before: number): number {
  return engine.db.delete(mirrorChecks).where(lt(mirrorChecks.at, before)).run().changes;
}
