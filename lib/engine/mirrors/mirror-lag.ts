import type { Engine } from '../engine';

/** The origin's newest change (0 when none). */
export function originHead(engine: Engine): number {
  return Number(engine.db.$client.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck().get());
}

/**
 * How far a mirror at `position` is behind this origin: the changes it can follow (public ones,
 * the only ones an anonymous follower sees) after its position, and the age of the oldest of
 * them. Counting public changes rather than head − position keeps a mirror that is up to date
 * from looking behind when the newest changes are private ones it will never see.
 */
export function mirrorLag(engine: Engine, position: number | null): { lagChanges: number | null; lagSeconds: number | null } {
  if (position === null) return { lagChanges: null, lagSeconds: null };
  const row = engine.db.$client
    .prepare('SELECT count(*) AS n, min(created_at) AS oldest FROM changes WHERE public = 1 AND seq > ?')
    .get(position) as { n: number; oldest: number | null };
  return { lagChanges: row.n, lagSeconds: row.oldest === null ? 0 : Math.max(0, (engine.now() - row.oldest) / 1000) };
}
