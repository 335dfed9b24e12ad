import { PERMISSIONS, type Permission } from './permissions';

/**
 * Permissions of areas not built yet: holding one grants nothing. Empty since backups shipped;
 * a future area adds its permission here until it arrives.
 */
export const NOT_YET_ENABLED: ReadonlySet<Permission> = new Set<Permission>();

export type PermissionInfo = { name: Permission; enabled: boolean };

export const PERMISSIONS_INFO: readonly PermissionInfo[] = PERMISSIONS.map((name) => ({ name, enabled: !NOT_YET_ENABLED.has(name) }));
