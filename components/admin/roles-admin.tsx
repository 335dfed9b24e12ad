'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteRoleAction, updateRoleAction } from '@/app/(dashboard)/admin/roles/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import type { Permission } from '@/lib/engine/access/permissions';
import { meKey } from '@/lib/queries/use-me';
import { rolesKey, useRoles, type RoleRow } from '@/lib/queries/use-roles';
import { usersKey } from '@/lib/queries/use-users';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { NewRoleDialog } from './new-role-dialog';
import { RoleMatrix } from './role-matrix';

/** Permission matrix (rows: permissions, columns: roles) with per-role Save/Delete and "New role". */
export function RolesAdmin() {
  const { data, error, isPending } = useRoles();
  const queryClient = useQueryClient();
  // Edited permission sets, by role id; a role without an entry shows what the server has.
  const [drafts, setDrafts] = useState<Record<number, Permission[]>>({});
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<RoleRow | null>(null);
  const [saveError, setSaveError] = useState<{ role: string; error: Error } | null>(null);

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: rolesKey }),
      queryClient.invalidateQueries({ queryKey: usersKey }),
      // The signed-in user's own permissions may have changed.
      queryClient.invalidateQueries({ queryKey: meKey }),
    ]);
  const dropDraft = (roleId: number) =>
    setDrafts(({ [roleId]: _dropped, ...rest }) => rest);

  const save = useMutation({
    mutationFn: (role: RoleRow) =>
      unwrapAction(
        updateRoleAction({ roleId: role.id, permissions: drafts[role.id] ?? role.permissions }),
      ),
    onMutate: () => setSaveError(null),
    onSuccess: async (_data, role) => {
      await invalidate();
      dropDraft(role.id);
    },
    onError: (err, role) => setSaveError({ role: role.name, error: err }),
  });
  const remove = useMutation({
    mutationFn: (role: RoleRow) => unwrapAction(deleteRoleAction({ roleId: role.id })),
    onSuccess: async (_data, role) => {
      await invalidate();
      dropDraft(role.id);
      setDeleting(null);
    },
  });

  if (isPending) return <TableSkeleton label="Loading roles…" columns={5} rows={8} />;
  if (error) return <QueryErrorState error={error} title="Could not load roles" forbidden="You do not have permission to manage roles" />;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          Tick a box to give a role that permission, then press the role’s <strong className="font-medium">Save</strong>. The admin
          role always holds every permission.
        </p>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New role
        </Button>
      </div>
      {saveError && <ErrorState title={`Could not save role ${saveError.role}`} error={saveError.error} />}
      <RoleMatrix
        permissions={data.permissions}
        roles={data.roles}
        drafts={drafts}
        saving={save.isPending ? (save.variables?.id ?? null) : null}
        onToggle={(role, permission, checked) =>
          setDrafts((current) => {
            const base = new Set(current[role.id] ?? role.permissions);
            if (checked) base.add(permission);
            else base.delete(permission);
            return { ...current, [role.id]: data.permissions.filter((p) => base.has(p)) };
          })
        }
        onSave={(role) => save.mutate(role)}
        onDelete={(role) => {
          remove.reset();
          setDeleting(role);
        }}
      />
      <NewRoleDialog open={creating} permissions={data.permissions} onClose={() => setCreating(false)} onCreated={invalidate} />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete role ${deleting?.name ?? ''}?`}
        confirmLabel="Delete role"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not delete this role"
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        {deleting && (
          <p>
            {deleting.user_count === 0
              ? 'No user holds this role.'
              : `${deleting.user_count} ${deleting.user_count === 1 ? 'user holds' : 'users hold'} this role and will lose the permissions it gives.`}{' '}
            This cannot be undone.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
