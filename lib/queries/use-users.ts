import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UserView } from '@/lib/engine/access/users';
import { fetchJson } from './api-error';

export type UserRow = UserView;

export type UserList = { total: number; page: number; per_page: number; users: UserRow[] };

export type UsersParams = { q: string; page: number; perPage: number };

/** Prefix of every users query: invalidate it after a user mutation. */
export const usersKey = ['users'] as const;

export function useUsers({ q, page, perPage }: UsersParams) {
  return useQuery({
    queryKey: [...usersKey, { q, page, perPage }],
    queryFn: () => {
      const params = new URLSearchParams({ q, page: String(page), per_page: String(perPage) });
      return fetchJson<UserList>(`/api/v1/users?${params}`);
    },
    placeholderData: keepPreviousData,
  });
}
