'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { setUserDisabledAction } from '@/app/(dashboard)/admin/users/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { SearchInput } from '@/components/forms/search-input';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { meKey, useMe } from '@/lib/queries/use-me';
import { rolesKey, useRoles } from '@/lib/queries/use-roles';
import { useUsers, usersKey, type UserRow } from '@/lib/queries/use-users';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { useUrlSearch } from '@/lib/ui/use-url-search';
import { EditRolesDialog } from './edit-roles-dialog';
import { NewUserDialog } from './new-user-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { UserTable } from '@/components/tables/user-table';

const PER_PAGE = 20;
export type UserDialog = { kind: 'roles' | 'password' | 'disable'; user: UserRow };

/** Users table with search (?q=), pagination (?page=), "New user" and per-row actions. */
export function UsersAdmin() {
  const { q, page, input, changeSearch, clearSearch, goToPage } = useUrlSearch('/admin/users');

  const users = useUsers({ q, page, perPage: PER_PAGE });
  const forbidden = users.error !== null && !users.data;
  const roles = useRoles({ enabled: !forbidden });
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [dialog, setDialog] = useState<UserDialog | null>(null);
  const closeDialog = () => setDialog(null);

  const queryClient = useQueryClient();
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: usersKey }),
      queryClient.invalidateQueries({ queryKey: rolesKey }),
      queryClient.invalidateQueries({ queryKey: meKey }),
    ]);
  const setDisabled = useMutation({
    mutationFn: (input: { userId: number; disabled: boolean }) => unwrapAction(setUserDisabledAction(input)),
    onSuccess: async () => {
      await invalidate();
      closeDialog();
    },
  });

  if (users.isPending) return <TableSkeleton label="Loading users…" columns={6} />;
  if (!users.data) return <QueryErrorState error={users.error} title="Could not load users" forbidden="You do not have permission to manage users" />;

  const data = users.data;
  const roleNames = roles.data?.roles.map((role) => role.name) ?? [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-1 items-center gap-3">
          <SearchInput
            aria-label="Search users"
            placeholder="Search by username or email"
            value={input}
            maxLength={200}
            onChange={(event) => changeSearch(event.target.value)}
            className="w-full max-w-md"
          />
          {users.isFetching && users.isPlaceholderData && (
            <span role="status" className="text-sm text-slate-600">
              Searching…
            </span>
          )}
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New user
        </Button>
      </div>

      {roles.error && <ErrorState title="Could not load roles" error={roles.error} />}
      {setDisabled.error && !dialog && <ErrorState title="Could not change the account status" error={setDisabled.error} />}

      {data.total === 0 && !q && <EmptyState title="No users yet">Create the first account with “New user”.</EmptyState>}
      {data.total === 0 && q && (
        <EmptyState
          title={`No users match “${q}”`}
          action={
            <Button
              onClick={clearSearch}
            >
              Clear search
            </Button>
          }
        />
      )}
      {data.total > 0 && data.users.length === 0 && (
        <EmptyState
          title={`Page ${page} is past the last user`}
          action={<Button onClick={() => goToPage(1)}>Go to the first page</Button>}
        />
      )}
      {data.users.length > 0 && (
        <>
          <UserTable
            users={data.users}
            currentUserId={me.data?.user?.id ?? null}
            enabling={setDisabled.isPending ? (setDisabled.variables?.userId ?? null) : null}
            onAction={(next) => {
              setDisabled.reset();
              setDialog(next);
            }}
            onEnable={(user) => setDisabled.mutate({ userId: user.id, disabled: false })}
          />
          <Pagination
            page={data.page}
            perPage={data.per_page}
            total={data.total}
            shown={data.users.length}
            onPageChange={goToPage}
          />
        </>
      )}

      <NewUserDialog open={creating} roleNames={roleNames} onClose={() => setCreating(false)} onCreated={invalidate} />
      <EditRolesDialog
        user={dialog?.kind === 'roles' ? dialog.user : null}
        roleNames={roleNames}
        onClose={closeDialog}
        onSaved={invalidate}
      />
      <ResetPasswordDialog user={dialog?.kind === 'password' ? dialog.user : null} onClose={closeDialog} />
      <ConfirmDialog
        open={dialog?.kind === 'disable'}
        title={`Disable ${dialog?.user.username ?? ''}?`}
        confirmLabel="Disable user"
        pending={setDisabled.isPending}
        error={setDisabled.error}
        errorTitle="Could not disable this user"
        onConfirm={() => dialog && setDisabled.mutate({ userId: dialog.user.id, disabled: true })}
        onClose={closeDialog}
      >
        <p>
          {dialog?.user.username ?? 'This user'} will no longer be able to sign in, and their API tokens stop working. Their
          packages, ownerships and audit history stay. You can enable the account again later.
        </p>
      </ConfirmDialog>
    </div>
  );
}
