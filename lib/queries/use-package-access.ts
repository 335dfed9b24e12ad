import { useQuery } from '@tanstack/react-query';
import type { Permission } from '@/lib/engine/access/permissions';
import { fetchJson } from './api-error';
import { packageKey } from './use-package';

export type Visibility = 'public' | 'restricted' | 'private';

export type PackageGrant = { username: string; permissions: Permission[] };

export type PackageAccess = {
  visibility: Visibility;
  /** The package's own "require a verified signature" setting; null follows the global policy. */
  require_signature: boolean | null;
  owners: string[];
  grants: PackageGrant[];
};

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
