export { EdgeCache, type Acquired, type CacheCounts, type EdgeCacheOptions, type FillLead, type PurgeSelector } from './edge-cache';
export { CacheFill, type FillHead } from './cache-fill';
export { expectedDigest, isCacheable, replayHeaders } from './cacheable';
export type { EntryMeta } from './lru-index';
