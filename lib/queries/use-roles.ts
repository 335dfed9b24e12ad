import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import { fetchJson } from './api-error';

export type RoleRow = {
  id: number;
  name: string;
  description: string | null;
  built_in: boolean;
  permissions: Permission[];
  user_count: number;
};

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
