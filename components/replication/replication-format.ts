import { formatMs } from '@/components/charts/format-units';
import type { NodeBackendPublic } from '@/lib/engine/replication/types';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';

/** Where a node keeps its copies, without credentials: a folder, `s3://bucket/prefix`, `azure://account/container/prefix`. */
export function backendSummary(backend: NodeBackendPublic): { label: string; detail: string | null } {
  switch (backend.type) {
    case 'local':
      return { label: backend.path, detail: 'local folder' };
    case 's3':
      return {
        label: `s3://${backend.bucket}/${backend.prefix}`,
        detail: [backend.endpoint ?? 'AWS', backend.region, backend.force_path_style ? 'path-style' : null].filter(Boolean).join(' · '),
      };
    case 'azure':
      return {
        label: `azure://${backend.account ?? '?'}/${backend.container}/${backend.prefix}`,
        detail: backend.blob_endpoint,
      };
  }
}

/** A lag reading: "—" before any, else ms / s / min. */
export function lagText(lagMs: number | null): string {
  return lagMs === null ? '—' : formatMs(lagMs);
}

/** A node's backlog: "caught up", or "3 ops · 1.5 MiB". */
export function backlogText(ops: number, bytes: number): string {
  if (ops === 0) return 'caught up';
  return `${formatCount(ops)} ${ops === 1 ? 'op' : 'ops'} · ${formatBytes(bytes)}`;
}

/** Used / capacity: "1.5 MiB of 10 GiB (0 %)", or "1.5 MiB (no limit)". */
export function usageText(used: number, capacity: number | null): string {
  if (capacity === null || capacity <= 0) return `${formatBytes(used)} (no limit)`;
  return `${formatBytes(used)} of ${formatBytes(capacity)}`;
}

/** Share of the capacity in use, 0–100, null without a capacity. */
export function usagePercent(used: number, capacity: number | null): number | null {
  if (capacity === null || capacity <= 0) return null;
  return Math.min(100, (used / capacity) * 100);
}

/** Nodes worst first: the highest current lag, then the largest backlog; nodes never measured last. */
export function byLagDesc<T extends { id: string; lag_ms: number | null; backlog_ops: number }>(nodes: T[]): T[] {
  return [...nodes].sort((a, b) => (b.lag_ms ?? -1) - (a.lag_ms ?? -1) || b.backlog_ops - a.backlog_ops || a.id.localeCompare(b.id));
}

/** "sha256:abcdef…" → "abcdef012345". */
export function shortDigest(digest: string): string {
  return (digest.startsWith('sha256:') ? digest.slice(7) : digest).slice(0, 12);
}

/** The statistics window in words: "last 24 h", "last 90 min". */
export function windowLabel(from: number, to: number): string {
  const minutes = Math.round((to - from) / 60_000);
  return minutes % 60 === 0 ? `last ${minutes / 60} h` : `last ${minutes} min`;
}
