import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import type { Channel } from '@/lib/queries/use-channels';
import { DataTable } from './data-table';
import { TD } from './table-styles';

type ChannelTableProps = {
  name: string;
  channels: Channel[];
  onHistory: (channel: string) => void;
  /** Absent for those who may not move channels. */
  onRemove?: (channel: Channel) => void;
};

export function ChannelTable({ name, channels, onHistory, onRemove }: ChannelTableProps) {
  return (
    <DataTable columns={['Channel', 'Version', 'Moved', { label: 'Actions', align: 'right', srOnly: true }]} bare>
      {channels.map((c) => (
        <tr key={c.name}>
          <td className={`${TD} font-mono font-medium`}>{c.name}</td>
          <td className={TD}>
            <Link href={`/packages/${encodeURIComponent(name)}?version=${encodeURIComponent(c.version)}`} scroll={false} className="font-mono text-indigo-700 hover:underline">
              {c.version}
            </Link>
          </td>
          <td className={`${TD} text-slate-600`}>
            <RelativeTime ms={c.updated_at} /> by {c.updated_by}
          </td>
          <td className={`${TD} text-right whitespace-nowrap`}>
            <div className="flex justify-end gap-2">
              <Button size="sm" onClick={() => onHistory(c.name)} aria-label={`History of ${c.name}`}>
                History
              </Button>
              {onRemove && (
                <Button size="sm" variant="danger-outline" onClick={() => onRemove(c)} aria-label={`Remove ${c.name}`}>
                  Remove
                </Button>
              )}
            </div>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
