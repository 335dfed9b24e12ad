import { useQuery } from '@tanstack/react-query';
import { fetchJson } from './api-error';
import type { PackageDetail } from './api-types';

/** Prefix of every query about one package (its versions included): invalidate it after a mutation. */
export const packageKey = (name: string) => ['package', name] as const;

export function usePackage(name: string) {
  return useQuery({
    queryKey: packageKey(name),
    queryFn: () => fetchJson<PackageDetail>(`/api/v1/packages/${encodeURIComponent(name)}`),
  });
}
