import type { Snapshot } from './types';

/** Every chunk id the snapshots reference (each once). */
export function referencedChunks(snapshots: Iterable<Pick<Snapshot, 'files'>>): Set<string> {
  const ids = new Set<string>();
  for (const s of snapshots) for (const f of s.files) for (const c of f.chunks) ids.add(c);
  return ids;
}
