import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { DataTable } from './data-table';
import { TD } from './table-styles';
import type { UserRow } from '@/lib/queries/use-users';
import type { UserDialog } from '@/components/admin/users-admin';

type UserTableProps = {
  users: UserRow[];
  currentUserId: number | null;
  /** The user whose "Enable" request is in flight. */
  enabling: number | null;
  onAction: (dialog: UserDialog) => void;
  onEnable: (user: UserRow) => void;
};

export function UserTable({ users, currentUserId, enabling, onAction, onEnable }: UserTableProps) {
  return (
    <DataTable columns={['Username', 'Email', 'Roles', 'Status', 'Created', 'Last sign-in', { label: 'Actions', align: 'right', srOnly: true }]}>
      {users.map((user) => (
        <tr key={user.id} className={`align-top ${user.disabled ? 'bg-slate-50/70' : 'hover:bg-slate-50'}`}>
          <th scope="row" className={`${TD} text-left font-semibold whitespace-nowrap`}>
            {user.username}
            {user.id === currentUserId && <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span>}
          </th>
          <td className={`${TD} whitespace-nowrap text-slate-600`}>{user.email}</td>
          <td className={TD}>
            {user.roles.length === 0 ? (
              <span className="text-slate-500">none</span>
            ) : (
              <ul aria-label="Roles" className="flex flex-wrap gap-1">
                {user.roles.map((role) => (
                  <li key={role}>
                    <Badge tone={role === 'admin' ? 'info' : 'neutral'}>{role}</Badge>
                  </li>
                ))}
              </ul>
            )}
          </td>
          <td className={TD}>{user.disabled ? <Badge tone="warning">Disabled</Badge> : <Badge tone="success">Active</Badge>}</td>
          <td className={`${TD} whitespace-nowrap text-slate-600`}>
            <RelativeTime ms={user.created_at} />
          </td>
          <td className={`${TD} whitespace-nowrap text-slate-600`}>
            {user.last_login_at === null ? 'Never' : <RelativeTime ms={user.last_login_at} />}
          </td>
          <td className={`${TD} text-right`}>
            <div className="flex justify-end gap-2">
              <Button size="sm" onClick={() => onAction({ kind: 'roles', user })}>
                Edit roles
              </Button>
              <Button size="sm" onClick={() => onAction({ kind: 'password', user })}>
                Reset password
              </Button>
              {user.disabled ? (
                <Button size="sm" onClick={() => onEnable(user)} disabled={enabling === user.id} aria-busy={enabling === user.id}>
                  Enable
                </Button>
              ) : (
                <Button size="sm" variant="danger-outline" onClick={() => onAction({ kind: 'disable', user })}>
                  Disable
                </Button>
              )}
            </div>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
