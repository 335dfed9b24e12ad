import semver from 'semver';

/**
 * The version `latest` points at: the highest non-yanked stable version, else the highest
 * non-yanked prerelease, else null (everything yanked).
 */
export function pickLatest(list: { version: string; yanked: boolean }[]): string | null {
  const live = list.filter((v) => !v.yanked).map((v) => v.version);
  const stable = live.filter((v) => semver.prerelease(v) === null);
  const pool = stable.length > 0 ? stable : live;
  if (pool.length === 0) return null;
  return pool.sort(semver.rcompare)[0];
}

/** Semver descending (newest first). */
export function sortVersionsDesc<T extends { version: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => semver.rcompare(a.version, b.version));
}
