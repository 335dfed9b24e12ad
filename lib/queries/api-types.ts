// Response shapes of the REST API v1 (docs/API.md): the registry's own view models, imported as
// types only, so the client bundle carries none of the engine.
import type {
  PackageView,
  RegistryStats,
  ResourceView,
  SearchHit,
  SearchResult,
  SignatureView,
  VersionSummary,
  VersionView,
  PublishResult,
} from '@/lib/engine/registry/views';

export type { RegistryStats, SearchHit, SearchResult, VersionSummary, PublishResult };
export type PackageDetail = PackageView;
export type VersionDetail = VersionView;
export type VersionResource = ResourceView;
export type VersionSignature = SignatureView;
export type RecentVersion = RegistryStats['recent_versions'][number];
