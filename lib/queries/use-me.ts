import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import { fetchJson } from './api-error';

export type MeUser = {
  id: number;
  username: string;
  email: string;
  roles: string[];
  permissions: Permission[];
  is_admin: boolean;
};

/** GET /api/v1/me: the signed-in user (null when anonymous), and whether the first admin is still to be created. */
export type Me = { user: MeUser | null; needs_setup: boolean };

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: () => fetchJson<Me>('/api/v1/me'),
    staleTime: 30_000,
  });
}

export function hasPermission(user: MeUser | null | undefined, permission: Permission): boolean {
  return !!user && (user.is_admin || user.permissions.includes(permission));
}
