import { NOT_YET_ENABLED } from '@/lib/engine/access/permission-areas';
import type { Permission } from '@/lib/engine/access/permissions';

/** One-line explanations shown next to permission names. */
export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  ReadMetadata: 'See packages, versions and manifests',
  Download: 'Download package files',
  Publish: 'Publish new packages and versions',
  Update: 'Edit a package’s description, tags, homepage and README',
  Delete: 'Delete versions and packages (a deleted version can never be published again)',
  ManageVersions: 'Move channels (stable, production…) between versions',
  Yank: 'Yank versions',
  Unyank: 'Unyank versions',
  ManageOwners: 'Change owners, grants and visibility of packages',
  ViewStats: 'See download statistics of restricted and private packages (public figures are public)',
  ManageSecurity: 'Manage signing keys and security policies',
  ManageUsers: 'Create, disable and edit users',
  ManageRoles: 'Create and edit roles',
  ManageTokens: 'See and revoke everyone’s API tokens',
  ManageMirrors: 'Configure mirrors',
  ManageCdn: 'Configure CDN and edge caches',
  ManageReplication: 'Configure replication',
  ManageBackups: 'Run backups and restores',
  ManageAlerts: 'Create, change and delete alert rules and webhooks; acknowledge and silence alerts',
  ViewAudit: 'Read the audit log',
  ManageJobs: 'See background jobs (housekeeping, alert evaluation…), retry and cancel them',
  ManageOwnTokens: 'Create, list and revoke your own API tokens (every account holds it; a token only when scoped to it)',
  ManageOwnKeys: 'Register and revoke your own signing keys (every account holds it; a token only when scoped to it)',
};

export function describePermission(permission: string): string | undefined {
  const text = (PERMISSION_DESCRIPTIONS as Record<string, string | undefined>)[permission];
  return isNotYetEnabled(permission) ? `${text}. Governs an area not yet enabled: holding it grants nothing yet` : text;
}

export function isNotYetEnabled(permission: string): boolean {
  return (NOT_YET_ENABLED as ReadonlySet<string>).has(permission);
}
