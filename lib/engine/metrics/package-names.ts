import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { canViewStats } from '../registry/stats-access';
import type { Visibility } from '@/db/schema';

export const DELETED_LABEL = '(deleted)';
export const HIDDEN_LABEL = '(not visible to you)';

type PackageRow = { id: number; name: string; visibility: Visibility };

/**
 * Names for the package ids of 'p:<id>' dims: "(deleted)" for packages gone since, and a
 * placeholder for those whose statistics the actor may not see (their figures still count in totals).
 */
export function packageLabels(engine: Engine, actor: Actor, ids: number[]): Map<number, { name: string; visible: boolean }> {
  const out = new Map<number, { name: string; visible: boolean }>();
  if (ids.length === 0) return out;
  const rows = engine.db.$client
    .prepare('SELECT id, name, visibility FROM packages WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as PackageRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) out.set(id, { name: DELETED_LABEL, visible: false });
    else if (!canViewStats(engine, actor, row)) out.set(id, { name: HIDDEN_LABEL, visible: false });
    else out.set(id, { name: row.name, visible: true });
  }
  return out;
}

/** 'p:12' → 12 */
export const dimId = (dim: string) => Number(dim.slice(dim.indexOf(':') + 1));
