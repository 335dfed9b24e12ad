/** Configured limits that protect the registry from oversized or hostile packages. */
export type PackageLimits = {
  /** Largest request body accepted by a publish (bytes). */
  maxUploadBytes: number;
  /** Most entries an archive may hold (the crate's DEFAULT_MAX_RESOURCES). */
  maxEntries: number;
  /** Largest total uncompressed size of all entries (bytes). */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio of one entry (zip-bomb guard). */
  maxCompressionRatio: number;
  /** Entries smaller than this are exempt from the ratio check (tiny text files compress well). */
  ratioCheckMinBytes: number;
  /** Largest MANIFEST.json (bytes). */
  maxManifestBytes: number;
};

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const DEFAULT_LIMITS: PackageLimits = {
  maxUploadBytes: 64 * GiB,
  maxEntries: 10_000,
  maxUncompressedBytes: 128 * GiB,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1 * MiB,
  maxManifestBytes: 4 * MiB,
};

function intFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid limit value: ${value}`);
  return n;
}

/** Limits from TORSH_MAX_* environment variables, defaults elsewhere. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): PackageLimits {
  return {
    maxUploadBytes: intFromEnv(env.TORSH_MAX_UPLOAD_BYTES, DEFAULT_LIMITS.maxUploadBytes),
    maxEntries: intFromEnv(env.TORSH_MAX_ENTRIES, DEFAULT_LIMITS.maxEntries),
    maxUncompressedBytes: intFromEnv(env.TORSH_MAX_UNCOMPRESSED_BYTES, DEFAULT_LIMITS.maxUncompressedBytes),
    maxCompressionRatio: intFromEnv(env.TORSH_MAX_COMPRESSION_RATIO, DEFAULT_LIMITS.maxCompressionRatio),
    ratioCheckMinBytes: intFromEnv(env.TORSH_RATIO_CHECK_MIN_BYTES, DEFAULT_LIMITS.ratioCheckMinBytes),
    maxManifestBytes: intFromEnv(env.TORSH_MAX_MANIFEST_BYTES, DEFAULT_LIMITS.maxManifestBytes),
  };
}
