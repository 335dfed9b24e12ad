import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { DataTable } from './data-table';
import { TD } from './table-styles';
import { keyStatus, REGISTRY_OWNER, type KeyRow, type KeyStatus } from '@/lib/queries/use-keys';
import { Fingerprint } from '@/components/keys/fingerprint';

const STATUS_TONE: Record<KeyStatus, BadgeTone> = { Active: 'success', Revoked: 'neutral' };

type KeyTableProps = { keys: KeyRow[]; showOwner: boolean; onRevoke: (key: KeyRow) => void };

export function KeyTable({ keys, showOwner, onRevoke }: KeyTableProps) {
  return (
    <DataTable columns={['Name', showOwner && 'Owner', 'Key ID', 'Fingerprint', 'Created', 'Status', { label: 'Actions', align: 'right', srOnly: true }]}>
      {keys.map((key) => {
        const status = keyStatus(key);
        // The registry signs browser publishes with its own key; it is not revoked from here.
        const isRegistry = showOwner && key.owner === REGISTRY_OWNER;
        return (
          <tr key={key.key_id} className={`align-top ${status === 'Active' ? 'hover:bg-slate-50' : 'bg-slate-50/70 text-slate-500'}`}>
            <th scope="row" className={`${TD} text-left font-semibold whitespace-nowrap`}>
              {key.name}
            </th>
            {showOwner && (
              <td className={TD}>
                {isRegistry ? <Badge tone="info">{REGISTRY_OWNER}</Badge> : key.owner}
              </td>
            )}
            <td className={TD}>
              <code className="font-mono text-xs whitespace-nowrap text-slate-700">{key.key_id}</code>
            </td>
            <td className={TD}>
              <Fingerprint hex={key.fingerprint} />
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              <RelativeTime ms={key.created_at} />
            </td>
            <td className={`${TD} whitespace-nowrap`}>
              <Badge tone={STATUS_TONE[status]}>{status}</Badge>
              {key.revoked_at !== null && (
                <span className="mt-1 block text-xs text-slate-500">
                  <RelativeTime ms={key.revoked_at} />
                </span>
              )}
            </td>
            <td className={`${TD} text-right`}>
              {status === 'Active' && !isRegistry && (
                <Button size="sm" variant="danger-outline" onClick={() => onRevoke(key)}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
