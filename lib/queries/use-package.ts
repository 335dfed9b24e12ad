import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import { fetchJson } from './api-error';
import type { PackageDetail } from './api-types';

/** Prefix of every query about one package (its versions included): invalidate it after a mutation. */
export const packageKey = (name: string) => ['package', name] as const;

/** The package, with what the signed-in user may do on it (`viewer_permissions`). */
export function usePackage(name: string) {
  return useQuery({
    queryKey: packageKey(name),
    queryFn: () => fetchJson<PackageDetail>(`/api/v1/packages/${encodeURIComponent(name)}?include=permissions`),
  });
}

/** Whether to offer an action; the server checks again whatever the page shows. */
export function canOn(pkg: PackageDetail | undefined, permission: Permission): boolean {
  return !!pkg?.viewer_permissions?.includes(permission);
}
