import type { Snapshot, SnapshotKind, SnapshotStats } from './types';

/** A snapshot as the API and `torsh backup list --json` show it (snake_case, time in ms). */
export type SnapshotView = {
  id: string;
  short_id: string;
  time: number;
  kind: SnapshotKind;
  host: string;
  tags: string[];
  description: string | null;
  recovery_point: { name: string; description: string | null } | null;
  package: { name: string; version: string } | null;
  logical_bytes: number;
  /** Stored (sealed) bytes this snapshot added to the repository. */
  new_bytes: number;
  /** logical_bytes / new_bytes; null when it added nothing (everything was already stored). */
  dedup_ratio: number | null;
  file_count: number;
  unique_chunks: number;
  duration_ms: number;
};

/** What the view needs: a snapshot read from the repository or from the cached row. */
export type SnapshotViewSource = Pick<Snapshot, 'id' | 'time' | 'kind' | 'host' | 'tags' | 'description' | 'recoveryPoint' | 'package'> & {
  stats: Pick<SnapshotStats, 'logicalBytes' | 'newBytes' | 'fileCount' | 'uniqueChunks' | 'durationMs'>;
};

export const shortId = (id: string) => id.slice(0, 8);

export function dedupRatio(logicalBytes: number, newBytes: number): number | null {
  return newBytes > 0 ? logicalBytes / newBytes : null;
}

export function snapshotView(s: SnapshotViewSource): SnapshotView {
  return {
    id: s.id,
    short_id: shortId(s.id),
    time: s.time,
    kind: s.kind,
    host: s.host,
    tags: s.tags,
    description: s.description,
    recovery_point: s.recoveryPoint ? { name: s.recoveryPoint.name, description: s.recoveryPoint.description } : null,
    package: s.package,
    logical_bytes: s.stats.logicalBytes,
    new_bytes: s.stats.newBytes,
    dedup_ratio: dedupRatio(s.stats.logicalBytes, s.stats.newBytes),
    file_count: s.stats.fileCount,
    unique_chunks: s.stats.uniqueChunks,
    duration_ms: s.stats.durationMs,
  };
}
