import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { DataTable } from './data-table';
import { TD } from './table-styles';
import { tokenStatus, type TokenRow, type TokenStatus } from '@/lib/queries/use-tokens';

const STATUS_TONE: Record<TokenStatus, BadgeTone> = { Active: 'success', Expired: 'warning', Revoked: 'neutral' };
const SHOWN_SCOPES = 3;

type TokenTableProps = { tokens: TokenRow[]; showUsername: boolean; onRevoke: (token: TokenRow) => void };

export function TokenTable({ tokens, showUsername, onRevoke }: TokenTableProps) {
  const now = Date.now();
  return (
    <DataTable columns={['Name', showUsername && 'Username', 'Prefix', 'Scopes', 'Created', 'Expires', 'Last used', 'Status', { label: 'Actions', align: 'right', srOnly: true }]}>
      {tokens.map((token) => {
        const status = tokenStatus(token, now);
        return (
          <tr key={token.id} className={`align-top ${status === 'Active' ? 'hover:bg-slate-50' : 'bg-slate-50/70 text-slate-500'}`}>
            <th scope="row" className={`${TD} text-left font-semibold`}>
              {token.name}
            </th>
            {showUsername && <td className={TD}>{token.username}</td>}
            <td className={TD}>
              <code className="font-mono text-xs text-slate-700">{token.prefix}…</code>
            </td>
            <td className={TD}>
              <Scopes scopes={token.scopes} />
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              <RelativeTime ms={token.created_at} />
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              {token.expires_at === null ? 'Never' : <RelativeTime ms={token.expires_at} />}
            </td>
            <td className={`${TD} whitespace-nowrap text-slate-600`}>
              {token.last_used_at === null ? 'Never' : <RelativeTime ms={token.last_used_at} />}
            </td>
            <td className={TD}>
              <Badge tone={STATUS_TONE[status]}>{status}</Badge>
            </td>
            <td className={`${TD} text-right`}>
              {status === 'Active' && (
                <Button size="sm" variant="danger-outline" onClick={() => onRevoke(token)}>
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

function Scopes({ scopes }: { scopes: string[] }) {
  if (scopes.length === 0) return <span className="text-slate-500">none</span>;
  const hidden = scopes.length - SHOWN_SCOPES;
  return (
    <ul aria-label="Scopes" className="flex max-w-xs flex-wrap gap-1">
      {scopes.slice(0, SHOWN_SCOPES).map((scope) => (
        <li key={scope}>
          <Badge>{scope}</Badge>
        </li>
      ))}
      {hidden > 0 && (
        <li title={scopes.slice(SHOWN_SCOPES).join(', ')}>
          <Badge>
            +{hidden} more<span className="sr-only">: {scopes.slice(SHOWN_SCOPES).join(', ')}</span>
          </Badge>
        </li>
      )}
    </ul>
  );
}
