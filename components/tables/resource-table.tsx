import type { VersionResource } from '@/lib/queries/api-types';
import { shortHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { TABLE, TABLE_WRAPPER, TD, TH, THEAD } from './table-styles';

export function ResourceTable({ resources }: { resources: VersionResource[] }) {
  if (resources.length === 0) return <p className="text-sm text-slate-600">This version has no resources.</p>;
  return (
    <div className={TABLE_WRAPPER}>
      <table className={TABLE}>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={TH}>Path</th>
            <th scope="col" className={TH}>Type</th>
            <th scope="col" className={`${TH} text-right`}>Size</th>
            <th scope="col" className={TH}>SHA-256</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {resources.map((resource) => (
            <tr key={resource.path}>
              <td className={`${TD} font-mono text-xs break-all`}>{resource.path}</td>
              <td className={`${TD} text-slate-600`}>{resource.type ?? '—'}</td>
              <td className={`${TD} text-right whitespace-nowrap tabular-nums`}>{formatBytes(resource.size)}</td>
              <td className={TD}>
                <code title={resource.sha256} className="font-mono text-xs text-slate-600">
                  {shortHex(resource.sha256)}…
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
