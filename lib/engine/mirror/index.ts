export { startFollower, type Follower, type FollowerOptions } from './follow-feed';
export { createUpstreamClient, UpstreamError, type UpstreamClient } from './upstream-client';
export { createLimiter, mirrorConcurrencyFromEnv } from './limiter';
export { scrubBlobs, type ScrubResult } from './scrub';
export { mirrorFeedStatus, mirrorHoldings, type MirrorFeedStatus, type MirrorHoldings } from './mirror-status';
export { readSync } from './mirror-state';
export { storedUpstreamKeys, type TrustedKey } from './verify-signature';
