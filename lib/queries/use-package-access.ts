import { useQuery } from '@tanstack/react-query';
import type { PackageAccessView } from '@/lib/engine/access/manage-package-access';
import { fetchJson } from './api-error';
import { packageKey } from './use-package';

export type PackageAccess = PackageAccessView;
export type Visibility = PackageAccessView['visibility'];
export type PackageGrant = PackageAccessView['grants'][number];

/** Under the package's key, so invalidating the package refreshes its access too. */
export const packageAccessKey = (name: string) => [...packageKey(name), 'access'] as const;

/** Permissions that can be granted on one package, in display order (a tiny constants module, no engine code). */
export { PACKAGE_PERMISSIONS } from '@/lib/engine/access/permissions';

/** Who may manage a package answers 200; everyone else 401/403/404, which the UI treats as "nothing to show". */
export function usePackageAccess(name: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: packageAccessKey(name),
    queryFn: () => fetchJson<PackageAccess>(`/api/v1/packages/${encodeURIComponent(name)}/access`),
    enabled,
  });
}
