// Response shapes of the REST API v1, as documented in docs/API.md.

export type VersionSummary = {
  version: string;
  digest: string;
  size: number;
  published_at: number;
  publisher: string;
  yanked: boolean;
  downloads: number;
};

export type PackageDetail = {
  name: string;
  description: string | null;
  author: string | null;
  license: string | null;
  latest: string | null;
  tags: string[];
  created_at: number;
  updated_at: number;
  downloads: number;
  versions: VersionSummary[];
};

export type VersionResource = {
  path: string;
  name: string;
  type: string | null;
  size: number;
  compressed_size: number;
  compression: string;
  sha256: string;
  metadata: Record<string, string> | null;
};

export type VersionSignature = { key_id: string | null; value: string; status: string };

export type VersionDetail = {
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
  signature: VersionSignature | null;
  downloads: number;
  download_url: string;
  manifest: unknown;
  resources: VersionResource[];
};

export type SearchHit = {
  name: string;
  description: string | null;
  author: string | null;
  latest: string | null;
  size: number | null;
  downloads: number;
  updated_at: number;
  tags: string[];
};

export type SearchResult = { total: number; page: number; per_page: number; packages: SearchHit[] };

export type RecentVersion = { name: string; version: string; size: number; published_at: number };

export type RegistryStats = {
  packages: number;
  versions: number;
  total_bytes: number;
  downloads: number;
  bytes_served: number;
  recent_versions: RecentVersion[];
};

export type PublishResult = { name: string; version: string; digest: string; size: number };
