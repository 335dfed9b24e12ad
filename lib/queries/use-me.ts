import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import type { MeView } from '@/lib/engine/access/who-am-i';
import { fetchJson } from './api-error';

/** GET /api/v1/me: the signed-in user (null when anonymous), and whether the first admin is still to be created. */
export type Me = MeView;
export type MeUser = NonNullable<MeView['user']>;

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
