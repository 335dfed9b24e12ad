import type { VersionResource } from '@/lib/queries/api-types';
import { shortHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { DataTable } from './data-table';
import { TD } from './table-styles';

export function ResourceTable({ resources }: { resources: VersionResource[] }) {
  if (resources.length === 0) return <p className="text-sm text-slate-600">This version has no resources.</p>;
  return (
    <DataTable columns={['Path', 'Type', { label: 'Size', align: 'right' }, 'SHA-256']}>
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
    </DataTable>
  );
}
