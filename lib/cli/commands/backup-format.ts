import type { ForgetPlan, PruneReport, RepoKeyInfo, Snapshot, VerifyReport } from '@/lib/engine/backup/types';
import { dedupRatio, shortId, snapshotView, type SnapshotView } from '@/lib/engine/backup/snapshot-view';
import { table } from '../output';
import { formatBinarySize } from '../progress';

/** `torsh backup list --json` entries: the server's SnapshotView with an ISO time, the source and the new chunk count. */
export type SnapshotJson = Omit<SnapshotView, 'time'> & {
  time: string;
  source: string;
  new_chunks: number;
};

export { dedupRatio, shortId };

export function snapshotJson(s: Snapshot): SnapshotJson {
  return { ...snapshotView(s), time: new Date(s.time).toISOString(), source: s.source, new_chunks: s.stats.newChunks };
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `2026-11-30 20:10:06` in UTC, sortable and the same on every machine. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

const ratioText = (r: number | null) => (r === null ? '∞' : `${r.toFixed(2)}x`);

function what(s: Snapshot): string {
  return s.kind === 'package' && s.package ? `package ${s.package.name}@${s.package.version}` : 'registry';
}

/** The human list: oldest first, recovery points marked in their own column. */
export function snapshotTable(snapshots: Snapshot[]): string {
  const rows = [['ID', 'TIME (UTC)', 'KIND', 'TAGS', 'SIZE', 'NEW', 'DEDUP', 'RECOVERY POINT']];
  for (const s of snapshots) {
    rows.push([
      shortId(s.id),
      formatTime(s.time),
      what(s),
      s.tags.join(',') || '-',
      formatBinarySize(s.stats.logicalBytes),
      formatBinarySize(s.stats.newBytes),
      ratioText(dedupRatio(s.stats.logicalBytes, s.stats.newBytes)),
      s.recoveryPoint?.name ?? '',
    ]);
  }
  return table(rows);
}

export function snapshotLine(s: Snapshot): string {
  const st = s.stats;
  const rp = s.recoveryPoint ? `, recovery point "${s.recoveryPoint.name}"` : '';
  return (
    `snapshot ${shortId(s.id)} saved (${what(s)}${rp}): ${st.fileCount} files, ${formatBinarySize(st.logicalBytes)}; ` +
    `added ${st.newChunks} chunks, ${formatBinarySize(st.newBytes)} stored; dedup ${ratioText(dedupRatio(st.logicalBytes, st.newBytes))}; ${formatMs(st.durationMs)}`
  );
}

export function verifyText(report: VerifyReport): string {
  const lines: string[] = [];
  const mode = report.mode === 'read-data' ? 'full (every chunk read, decrypted and re-hashed)' : 'structural';
  lines.push(
    `${mode} verify of ${report.snapshots} snapshots: ${report.chunksChecked} chunks checked, ${formatBinarySize(report.bytesRead)} read in ${formatMs(report.durationMs)}`,
  );
  for (const file of report.damagedFiles) lines.push(`damaged file: ${file}`);
  for (const chunk of report.damaged) {
    lines.push(`damaged chunk ${chunk.chunkId} (${chunk.problem})`);
    lines.push(`  snapshots: ${chunk.snapshots.map(shortId).join(', ') || '-'}`);
    for (const f of chunk.files) lines.push(`  file: ${shortId(f.snapshot)} ${f.path}`);
  }
  lines.push(
    report.ok
      ? 'no errors were found'
      : `repository damaged: ${report.damaged.length} chunks, ${report.damagedFiles.length} files`,
  );
  return `${lines.join('\n')}\n`;
}

export function verifyJson(report: VerifyReport) {
  return {
    mode: report.mode,
    ok: report.ok,
    snapshots: report.snapshots,
    chunks_checked: report.chunksChecked,
    bytes_read: report.bytesRead,
    damaged: report.damaged.map((c) => ({ chunk_id: c.chunkId, problem: c.problem, snapshots: c.snapshots, files: c.files })),
    damaged_files: report.damagedFiles,
    duration_ms: report.durationMs,
  };
}

export function forgetText(plan: ForgetPlan, snapshots: Map<string, Snapshot>, dryRun: boolean): string {
  const rows = [['ID', 'TIME (UTC)', 'ACTION', 'REASONS']];
  for (const d of plan.decisions) {
    const rp = snapshots.get(d.id)?.recoveryPoint;
    const reasons = d.reasons.map((r) => (rp && r === 'recovery point' ? `recovery point "${rp.name}"` : r));
    rows.push([shortId(d.id), formatTime(d.time), d.keep ? 'keep' : 'remove', reasons.join(', ') || '-']);
  }
  const verb = dryRun ? 'would remove' : 'removes';
  const summary = `${verb} ${plan.remove.length} of ${plan.decisions.length} snapshots; prune then frees ${plan.freedChunks} chunks, ${formatBinarySize(plan.freedBytes)}`;
  return `${table(rows)}\n${summary}${dryRun ? ' (dry run: nothing was changed)' : ''}\n`;
}

export function forgetJson(plan: ForgetPlan, dryRun: boolean) {
  return {
    dry_run: dryRun,
    decisions: plan.decisions.map((d) => ({ id: d.id, time: new Date(d.time).toISOString(), keep: d.keep, reasons: d.reasons })),
    remove: plan.remove,
    freed_chunks: plan.freedChunks,
    freed_bytes: plan.freedBytes,
  };
}

export function pruneText(r: PruneReport): string {
  return `pruned: removed ${r.removedChunks} chunks (${r.orphanChunks} of them unindexed, left by interrupted backups), freed ${formatBinarySize(r.freedBytes)}, rewrote ${r.indexFilesRewritten} index files in ${formatMs(r.durationMs)}\n`;
}

export function pruneJson(r: PruneReport) {
  return {
    removed_chunks: r.removedChunks,
    freed_bytes: r.freedBytes,
    orphan_chunks: r.orphanChunks,
    index_files_rewritten: r.indexFilesRewritten,
    duration_ms: r.durationMs,
  };
}

export function keyTable(keys: RepoKeyInfo[]): string {
  const rows = [[' ', 'ID', 'LABEL', 'HOST', 'CREATED (UTC)']];
  for (const k of keys) rows.push([k.current ? '*' : ' ', shortId(k.id), k.label ?? '-', k.host, formatTime(k.createdAt)]);
  return table(rows);
}

export function keyJson(k: RepoKeyInfo) {
  return { id: k.id, label: k.label, host: k.host, created_at: new Date(k.createdAt).toISOString(), current: k.current };
}
