import type { Permission } from '@/lib/engine/access/permissions';

/** One-line explanations shown next to permission names. */
export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  ReadMetadata: 'See packages, versions and manifests',
  Download: 'Download package files',
  Publish: 'Publish new packages and versions',
  Update: 'Edit package metadata',
  Delete: 'Delete packages',
  ManageVersions: 'Manage versions of a package',
  Yank: 'Yank versions',
  Unyank: 'Unyank versions',
  ManageOwners: 'Change owners, grants and visibility of packages',
  ViewStats: 'See download statistics',
  ManageSecurity: 'Manage signing keys and security policies',
  ManageUsers: 'Create, disable and edit users',
  ManageRoles: 'Create and edit roles',
  ManageTokens: 'See and revoke everyone’s API tokens',
  ManageMirrors: 'Configure mirrors',
  ManageCdn: 'Configure CDN and edge caches',
  ManageReplication: 'Configure replication',
  ManageBackups: 'Run backups and restores',
  ManageAlerts: 'Configure alerts',
  ViewAudit: 'Read the audit log',
  ManageOwnTokens: 'Create, list and revoke your own API tokens (every account holds it; a token only when scoped to it)',
  ManageOwnKeys: 'Register and revoke your own signing keys (every account holds it; a token only when scoped to it)',
};

export function describePermission(permission: string): string | undefined {
  return (PERMISSION_DESCRIPTIONS as Record<string, string | undefined>)[permission];
}
