import type { IconName } from '@/components/ui/icon';
import type { Permission } from '@/lib/engine/access/permissions';

export type NavItem = {
  href: string;
  label: string;
  icon: IconName;
  /** Shown only to signed-in users. */
  signedIn?: boolean;
  /** Shown only to holders of this permission (implies signed in). */
  permission?: Permission;
};

export type NavGroup = { label: string | null; items: NavItem[] };

/** Sidebar entries, in display order. */
export const NAV_GROUPS: NavGroup[] = [
  {
    label: null,
    items: [
      { href: '/', label: 'Overview', icon: 'home' },
      { href: '/packages', label: 'Packages', icon: 'box' },
      { href: '/publish', label: 'Publish', icon: 'upload' },
      { href: '/tokens', label: 'API tokens', icon: 'key', signedIn: true },
      { href: '/keys', label: 'Signing keys', icon: 'key', signedIn: true },
      { href: '/alerts', label: 'Alerts', icon: 'bell', permission: 'ViewStats' },
    ],
  },
  {
    label: 'Admin',
    items: [
      { href: '/admin/users', label: 'Users', icon: 'users', permission: 'ManageUsers' },
      { href: '/admin/roles', label: 'Roles', icon: 'shield', permission: 'ManageRoles' },
      { href: '/admin/audit', label: 'Audit log', icon: 'list', permission: 'ViewAudit' },
      { href: '/admin/jobs', label: 'Jobs', icon: 'list', permission: 'ManageJobs' },
      { href: '/admin/security', label: 'Security', icon: 'shield', permission: 'ManageSecurity' },
      { href: '/cdn', label: 'CDN', icon: 'download', permission: 'ManageCdn' },
      { href: '/mirrors', label: 'Mirrors', icon: 'globe', permission: 'ManageMirrors' },
      { href: '/replication', label: 'Replication', icon: 'layers', permission: 'ManageReplication' },
      { href: '/backups', label: 'Backups', icon: 'archive', permission: 'ManageBackups' },
    ],
  },
];
