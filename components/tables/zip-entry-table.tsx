import type { ZipEntryInfo } from '@/lib/ui/read-manifest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { TABLE, TABLE_WRAPPER, TD, TH, THEAD } from './table-styles';

// An archive may hold up to 10,000 entries; the first few hundred are enough for a preview.
const MAX_ROWS = 300;

export function ZipEntryTable({ entries }: { entries: ZipEntryInfo[] }) {
  const shown = entries.slice(0, MAX_ROWS);
  return (
    <div className={`${TABLE_WRAPPER} max-h-96 overflow-y-auto`}>
      <table className={TABLE}>
        <thead className={`${THEAD} sticky top-0`}>
          <tr>
            <th scope="col" className={TH}>Path</th>
            <th scope="col" className={`${TH} text-right`}>Size</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {shown.map((entry) => (
            <tr key={entry.path}>
              <td className={`${TD} font-mono text-xs break-all`}>{entry.path}</td>
              <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{formatBytes(entry.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length > shown.length && (
        <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-600">
          and {formatCount(entries.length - shown.length)} more entries
        </p>
      )}
    </div>
  );
}
