import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { fetchJson } from './api-error';
import type { SearchResult } from './api-types';

export type SearchParams = { q: string; page: number; perPage: number };

export const searchKey = ['search'] as const;

export function useSearchPackages({ q, page, perPage }: SearchParams) {
  return useQuery({
    queryKey: [...searchKey, { q, page, perPage }],
    queryFn: () => {
      const params = new URLSearchParams({ q, page: String(page), per_page: String(perPage) });
      return fetchJson<SearchResult>(`/api/v1/search?${params}`);
    },
    // Keep the previous page on screen while the next query loads, so typing does not flash a skeleton.
    placeholderData: keepPreviousData,
  });
}
