/** What every `torsh serve` role returns once it listens. */
export type RunningRole = { url: string; port: number; close(): Promise<void> };

export type Listen = { port: number; host?: string };

export type HeadlessOriginOptions = Listen & { dataDir: string };

export type MirrorOptions = Listen & {
  /** The registry followed (an origin or another mirror), without a trailing slash. */
  upstream: string;
  dataDir: string;
  /** Bearer token sent upstream (read scope is enough). */
  token?: string;
};

export type EdgeOptions = Listen & {
  /** Where misses are fetched from (an origin or a mirror), without a trailing slash. */
  origin: string;
  dataDir: string;
  cacheSizeBytes: number;
  /** Required by POST /api/v1/cache/purge; purge is refused while unset. */
  purgeToken?: string;
};
