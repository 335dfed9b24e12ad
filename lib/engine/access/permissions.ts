/** Named permissions: the torsh-package crate's list, then the hub's administrative areas. */
export const PERMISSIONS = [
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
] as const;

export type Permission = (typeof PERMISSIONS)[number];

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
  admin: { description: 'Everything, including users, roles, tokens and private packages', permissions: PERMISSIONS },
  maintainer: {
    description: 'Publish and manage versions and owners of every non-private package',
    permissions: ['ReadMetadata', 'Download', 'Publish', 'Update', 'ManageVersions', 'Yank', 'Unyank', 'ManageOwners', 'ViewStats'],
  },
  contributor: { description: 'Read and publish packages', permissions: ['ReadMetadata', 'Download', 'Publish', 'ViewStats'] },
  viewer: { description: 'Read and download packages', permissions: ['ReadMetadata', 'Download', 'ViewStats'] },
};
