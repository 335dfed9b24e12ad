import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TABLE_WRAPPER } from '@/components/tables/table-styles';
import type { Permission } from '@/lib/engine/access/permissions';
import { ADMIN_ROLE, type RoleRow } from '@/lib/queries/use-roles';
import { describePermission, isNotYetEnabled } from './permission-info';

type RoleMatrixProps = {
  permissions: Permission[];
  roles: RoleRow[];
  drafts: Record<number, Permission[]>;
  /** Id of the role being saved. */
  saving: number | null;
  onToggle: (role: RoleRow, permission: Permission, checked: boolean) => void;
  onSave: (role: RoleRow) => void;
  onDelete: (role: RoleRow) => void;
};

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function isChanged(role: RoleRow, drafts: Record<number, Permission[]>): boolean {
  const draft = drafts[role.id];
  return draft !== undefined && !sameSet(draft, role.permissions);
}

export function RoleMatrix({ permissions, roles, drafts, saving, onToggle, onSave, onDelete }: RoleMatrixProps) {
  return (
    <div className={TABLE_WRAPPER}>
      <table className="min-w-full text-sm">
        <caption className="sr-only">Permissions held by each role</caption>
        <thead className="border-b border-slate-200 bg-slate-50 align-top">
          <tr>
            <th scope="col" rowSpan={2} className="sticky left-0 z-10 bg-slate-50 px-4 py-3 text-left align-bottom text-xs font-medium tracking-wide text-slate-600 uppercase">
              Permission
            </th>
            {roles.map((role) => (
              <th key={role.id} scope="col" className="min-w-36 px-3 pt-3 pb-1 text-center font-normal">
                <span className="block font-semibold text-slate-900">{role.name}</span>
                <span className="mt-1 flex flex-wrap justify-center gap-1">
                  {role.built_in && <Badge tone="info">Built-in</Badge>}
                  {isChanged(role, drafts) && <Badge tone="warning">Unsaved</Badge>}
                </span>
                <span className="mt-1 block text-xs text-slate-600">
                  {role.user_count} {role.user_count === 1 ? 'user' : 'users'}
                </span>
                {role.description && <span className="mx-auto mt-1 block max-w-40 text-xs text-slate-500">{role.description}</span>}
              </th>
            ))}
          </tr>
          <tr>
            {roles.map((role) => {
              const changed = isChanged(role, drafts);
              return (
                <td key={role.id} className="px-3 pt-1 pb-3 text-center">
                  {role.name === ADMIN_ROLE ? (
                    <span className="text-xs text-slate-500">Read-only</span>
                  ) : (
                    <div role="group" aria-label={`Role ${role.name}`} className="flex justify-center gap-1.5">
                      <Button
                        size="sm"
                        variant={changed ? 'primary' : 'secondary'}
                        disabled={!changed || saving === role.id}
                        aria-busy={saving === role.id}
                        onClick={() => onSave(role)}
                      >
                        Save
                      </Button>
                      {!role.built_in && (
                        <Button size="sm" variant="danger-outline" onClick={() => onDelete(role)}>
                          Delete
                        </Button>
                      )}
                    </div>
                  )}
                </td>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {permissions.map((permission) => (
            <tr key={permission} className="group hover:bg-slate-50">
              <th scope="row" className="sticky left-0 z-10 bg-white px-4 py-2 text-left font-normal group-hover:bg-slate-50">
                <span className="font-medium text-slate-900">{permission}</span>
                {isNotYetEnabled(permission) && (
                  <span className="ml-1.5">
                    <Badge tone="warning">Not yet enabled</Badge>
                  </span>
                )}
                {describePermission(permission) && <span className="block text-xs text-slate-500">{describePermission(permission)}</span>}
              </th>
              {roles.map((role) => {
                const isAdmin = role.name === ADMIN_ROLE;
                const held = (drafts[role.id] ?? role.permissions).includes(permission);
                return (
                  <td key={role.id} className="px-3 py-2 text-center">
                    <input
                      type="checkbox"
                      aria-label={`${role.name}: ${permission}`}
                      checked={isAdmin || held}
                      disabled={isAdmin || saving === role.id}
                      title={isAdmin ? 'The admin role always holds every permission' : undefined}
                      onChange={(event) => onToggle(role, permission, event.target.checked)}
                      className="size-4 rounded border-slate-300 accent-indigo-600 disabled:opacity-60"
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
