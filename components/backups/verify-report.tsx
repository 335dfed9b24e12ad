import { formatMs } from '@/components/charts/format-units';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import type { DamagedChunk, VerifyReport } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';

const PROBLEM: Record<DamagedChunk['problem'], string> = {
  missing: 'missing: no object for it',
  unindexed: 'not in any index',
  corrupt: 'corrupt: does not decrypt or re-hash to its id',
};

/** A verify job's result: checked, or every damaged chunk with the snapshots and files it affects. */
export function isVerifyReport(value: unknown): value is VerifyReport {
  return typeof value === 'object' && value !== null && 'ok' in value && 'damaged' in value && Array.isArray((value as VerifyReport).damaged);
}

export function VerifyReportView({ report }: { report: VerifyReport }) {
  const mode = report.mode === 'read-data' ? 'read, decrypted and re-hashed every chunk' : 'structure: every referenced chunk present and indexed';
  const summary = `${formatCount(report.snapshots)} ${report.snapshots === 1 ? 'snapshot' : 'snapshots'} · ${formatCount(report.chunksChecked)} chunks checked${
    report.mode === 'read-data' ? ` · ${formatBytes(report.bytesRead)} read` : ''
  } · ${formatMs(report.durationMs)}`;
  return (
    <div className="space-y-2" data-verify-ok={report.ok} aria-label="Verify report" role="region">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        {report.ok ? <Badge tone="success">no damage found</Badge> : <Badge tone="danger">damaged</Badge>}
        <span className="text-slate-700">{mode}</span>
      </p>
      <p className="text-xs text-slate-600 tabular-nums">{summary}</p>
      {report.damagedFiles.length > 0 && (
        <div className="text-sm text-red-800">
          <p className="font-medium">Files that do not decrypt:</p>
          <ul className="list-disc pl-5 font-mono text-xs">
            {report.damagedFiles.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </div>
      )}
      {report.damaged.length > 0 && (
        <DataTable columns={['Chunk', 'Problem', 'Snapshots affected', 'Files affected']}>
          {report.damaged.map((d) => (
            <tr key={d.chunkId} aria-label={`Damaged chunk ${d.chunkId.slice(0, 12)}`} className="align-top">
              <td className={`${TD} font-mono text-xs break-all`} title={d.chunkId}>
                {d.chunkId.slice(0, 16)}…
              </td>
              <td className={`${TD} text-xs text-red-800`}>{PROBLEM[d.problem]}</td>
              <td className={`${TD} font-mono text-xs`}>
                {d.snapshots.map((s) => (
                  <div key={s}>{s.slice(0, 8)}</div>
                ))}
              </td>
              <td className={`${TD} text-xs`}>
                <ul>
                  {d.files.slice(0, 20).map((f) => (
                    <li key={`${f.snapshot}:${f.path}`} className="break-all">
                      <span className="font-mono text-slate-500">{f.snapshot.slice(0, 8)}</span> {f.path}
                    </li>
                  ))}
                  {d.files.length > 20 && <li className="text-slate-500">and {formatCount(d.files.length - 20)} more</li>}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {!report.ok && (
        <p className="text-xs text-slate-600">
          Snapshots that reference a damaged chunk cannot be restored whole: restore from another snapshot or recovery point, and forget the damaged ones.
        </p>
      )}
    </div>
  );
}
