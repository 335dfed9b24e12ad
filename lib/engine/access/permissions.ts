/** Named permissions (the torsh-package crate's list plus the hub's admin areas). */
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
] as const;

export type Permission = (typeof PERMISSIONS)[number];
