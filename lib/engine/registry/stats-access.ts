import { sql, type SQL } from 'drizzle-orm';
import { canOnPackage } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import type { Visibility } from '@/db/schema';

/** Public figures stay public; those of restricted and private packages need ViewStats on the package. */
export function canViewStats(engine: Engine, actor: Actor, pkg: { id: number; name: string; visibility: Visibility }): boolean {
  return pkg.visibility === 'public' || canOnPackage(engine, actor, 'ViewStats', pkg);
}

/**
 * SQL condition (on `packages` aliased `p`) for the packages whose download figures `actor`
 * may see: canViewStats as a set (admins; owners; role holders on restricted packages).
 */
export function statsVisibleSql(actor: Actor): SQL {
  const scopedOut = actor.scopes !== null && !actor.scopes.has('ViewStats');
  if (actor.isAdmin && !scopedOut) return sql`1`;
  const parts: SQL[] = [sql`p.visibility = 'public'`];
  if (actor.userId !== null && !scopedOut) {
    if (actor.permissions.has('ViewStats')) parts.push(sql`p.visibility = 'restricted'`);
    parts.push(sql`p.id IN (SELECT package_id FROM package_owners WHERE user_id = ${actor.userId})`);
  }
  return sql`(${sql.join(parts, sql` OR `)})`;
}
