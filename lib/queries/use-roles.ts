import { useQuery } from '@tanstack/react-query';
import type { PermissionInfo } from '@/lib/engine/access/permission-areas';
import type { Permission } from '@/lib/engine/access/permissions';
import type { RoleView } from '@/lib/engine/access/roles';
import { fetchJson } from './api-error';

export type RoleRow = RoleView;

/** `permissions` lists every permission name, in display order; `permissions_info` says which govern an area not yet enabled. */
export type RoleList = { permissions: Permission[]; permissions_info: PermissionInfo[]; roles: RoleRow[] };

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
