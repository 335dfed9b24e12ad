import type { Permission } from '../access/permissions';
import type { ChangeRow } from '@/db/schema';

/**
 * Read models returned by the registry, shaped as the REST API serves them (docs/API.md),
 * so route handlers pass them through unchanged. `downloads` is null where the caller may
 * not see the download statistics of a non-public package (ViewStats).
 */
export type VersionSummary = {
  version: string;
  digest: string;
  size: number;
  published_at: number;
  publisher: string;
  yanked: boolean;
  downloads: number | null;
};

export type PackageView = {
  name: string;
  description: string | null;
  author: string | null;
  license: string | null;
  latest: string | null;
  tags: string[];
  homepage: string | null;
  /** Markdown (rendered without raw HTML). */
  readme: string | null;
  /** Set through Update: later publishes keep them instead of the manifest's. */
  edited: { description: boolean; tags: boolean };
  created_at: number;
  updated_at: number;
  downloads: number | null;
  versions: VersionSummary[];
  /** With `?include=permissions`: what the caller may do on this package. */
  viewer_permissions?: Permission[];
};

export type ResourceView = {
  path: string;
  name: string;
  type: string | null;
  size: number;
  compressed_size: number;
  compression: string;
  sha256: string;
  metadata: Record<string, string> | null;
};

export type SignatureView = {
  key_id: string | null;
  value: string;
  /** verified · invalid · unknown_key · revoked */
  status: string;
  /** The key's owner: a username, or 'registry' (browser publishes signed by the registry key). */
  signer: string | null;
  fingerprint: string | null;
};

export type VersionView = {
  name: string;
  version: string;
  digest: string;
  size: number;
  format_version: string;
  published_at: number;
  publisher: string;
  yanked: boolean;
  yanked_at: number | null;
  yank_reason: string | null;
  signature: SignatureView | null;
  downloads: number | null;
  download_url: string;
  /** Stored opaquely: the manifest below was supplied at publish, resources are unknown. */
  encrypted: boolean;
  manifest: unknown;
  resources: ResourceView[];
};

export type PublishResult = { name: string; version: string; digest: string; size: number };

export type SearchHit = {
  name: string;
  description: string | null;
  author: string | null;
  latest: string | null;
  size: number | null;
  downloads: number | null;
  updated_at: number;
  tags: string[];
};

export type SearchResult = { total: number; page: number; per_page: number; packages: SearchHit[] };

export type RegistryStats = {
  packages: number;
  versions: number;
  total_bytes: number;
  downloads: number;
  bytes_served: number;
  recent_versions: { name: string; version: string; size: number; published_at: number }[];
};

export type ChannelView = { name: string; version: string; updated_at: number; updated_by: string };

/** One move of a channel; `to_version` null: removed (by hand, or with the version it pointed at). */
export type ChannelMoveView = { channel: string; from_version: string | null; to_version: string | null; moved_at: number; moved_by: string };

export type ChannelHistoryView = { history: ChannelMoveView[]; total: number; page: number; per_page: number };

export type ChangeView = {
  seq: number;
  kind: ChangeRow['kind'];
  name: string;
  version: string | null;
  digest: string | null;
  size: number | null;
  data: Record<string, unknown> | null;
  created_at: number;
};

export type DeletedVersion = { name: string; version: string; deleted: true };
export type DeletedPackage = { name: string; deleted_versions: string[] };

export const digestRef = (hex: string) => `sha256:${hex}`;
export const downloadUrl = (name: string, version: string) =>
  `/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/download`;
