import { useQuery } from '@tanstack/react-query';
import { fetchJson } from './api-error';
import type { RegistryStats } from './api-types';

export const statsKey = ['stats'] as const;

export function useStats() {
  return useQuery({
    queryKey: statsKey,
    queryFn: () => fetchJson<RegistryStats>('/api/v1/stats'),
    refetchInterval: 10_000,
  });
}
