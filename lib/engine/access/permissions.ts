/** What roles grant: the torsh-package crate's list, then the hub's administrative areas. */
export const ROLE_PERMISSIONS = [
  'ReadMetadata',
  'Download',
  'Publish',
  'Update',
  'Delete',
  'ManageVersions',
  'Yank',
  'Unyank',
  'ManageOwners',
  'ViewStats',
  'ManageSecurity',
  'ManageUsers',
  'ManageRoles',
  'ManageTokens',
  'ManageMirrors',
  'ManageCdn',
  'ManageReplication',
  'ManageBackups',
  'ManageAlerts',
  'ViewAudit',
  'ManageJobs',
] as const;

/**
 * What every signed-in account may do with its own credentials, whatever its roles: create,
 * list and revoke its API tokens; request key challenges, register and revoke its signing keys.
 * They are not granted by roles; a token holds them only when its scopes list them, so a
 * narrowly scoped CI token cannot mint itself a wider one or swap its user's keys.
 */
export const SELF_SERVICE_PERMISSIONS = ['ManageOwnTokens', 'ManageOwnKeys'] as const;

/** Every permission name; a token's scopes are a subset of its user's. */
export const PERMISSIONS = [...ROLE_PERMISSIONS, ...SELF_SERVICE_PERMISSIONS] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** A signed-in account's permissions: its roles' plus the self-service ones. */
export function withSelfService(rolePermissions: Iterable<Permission>): Set<Permission> {
  return new Set([...rolePermissions, ...SELF_SERVICE_PERMISSIONS]);
}

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

/** Permissions that make sense on one package (owners hold all of them; grants pick some). */
export const PACKAGE_PERMISSIONS = [
  'ReadMetadata',
  'Download',
  'Publish',
  'Update',
  'Delete',
  'ManageVersions',
  'Yank',
  'Unyank',
  'ManageOwners',
] as const satisfies readonly Permission[];

export type BuiltInRole = 'admin' | 'maintainer' | 'contributor' | 'viewer';

/** Default permissions of the built-in roles (seeded once; admin always holds every permission). */
export const BUILT_IN_ROLES: Record<BuiltInRole, { description: string; permissions: readonly Permission[] }> = {
  admin: { description: 'Everything, including users, roles, tokens and private packages', permissions: ROLE_PERMISSIONS },
  maintainer: {
    description: 'Publish and manage versions and owners of every non-private package',
    permissions: ['ReadMetadata', 'Download', 'Publish', 'Update', 'ManageVersions', 'Yank', 'Unyank', 'ManageOwners', 'ViewStats'],
  },
  contributor: { description: 'Read and publish packages', permissions: ['ReadMetadata', 'Download', 'Publish', 'ViewStats'] },
  viewer: { description: 'Read and download packages', permissions: ['ReadMetadata', 'Download', 'ViewStats'] },
};
