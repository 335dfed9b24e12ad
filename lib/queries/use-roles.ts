import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import type { RoleView } from '@/lib/engine/access/roles';
import { fetchJson } from './api-error';

export type RoleRow = RoleView;

/** `permissions` lists every permission name, in display order. */
export type RoleList = { permissions: Permission[]; roles: RoleRow[] };

export const rolesKey = ['roles'] as const;

/** The role that holds every permission; its permissions cannot be edited. */
export const ADMIN_ROLE = 'admin';

export function useRoles({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: rolesKey,
    queryFn: () => fetchJson<RoleList>('/api/v1/roles'),
    enabled,
  });
}
