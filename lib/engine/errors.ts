/** The package itself is malformed (DESIGN §3): these bytes can never be published. */
export const PACKAGE_FORMAT_CODES = [
  'PACKAGE_NOT_ZIP',
  'MANIFEST_MISSING',
  'MANIFEST_INVALID',
  'MANIFEST_NAME_INVALID',
  'MANIFEST_VERSION_INVALID',
  'FORMAT_VERSION_UNSUPPORTED',
  'MANIFEST_NAME_MISMATCH',
  'MANIFEST_VERSION_MISMATCH',
  'ENTRY_PATH_UNSAFE',
  'ENTRY_DUPLICATE',
  'ENTRY_SYMLINK',
  'ENTRY_ENCRYPTED',
  'ENTRY_UNSUPPORTED_COMPRESSION',
  'CHECKSUM_MISMATCH',
  'RESOURCE_MISSING',
  'TOO_MANY_ENTRIES',
  'UNCOMPRESSED_SIZE_EXCEEDED',
  'COMPRESSION_RATIO_EXCEEDED',
  'PACKAGE_CORRUPT',
] as const;
export type PackageFormatCode = (typeof PACKAGE_FORMAT_CODES)[number];

/**
 * The one error type of the engine. Codes are stable strings clients may branch on;
 * the HTTP status for each code is chosen in one place (lib/server/http-status.ts).
 */
export type ErrorCode =
  // request / input
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CROSS_SITE_REQUEST'
  | 'INVALID_INPUT'
  | 'INVALID_PACKAGE_NAME'
  | 'INVALID_VERSION'
  | 'BODY_TOO_LARGE'
  | 'UPLOAD_ABORTED'
  | 'UPLOAD_NOT_FOUND'
  | 'UPLOAD_INCOMPLETE'
  | 'UPLOAD_IN_USE'
  | PackageFormatCode
  // registry
  | 'PACKAGE_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'PACKAGE_VERSION_EXISTS'
  | 'VERSION_TOMBSTONED'
  | 'VERSION_YANKED'
  | 'INVALID_CHANNEL_NAME'
  | 'CHANNEL_NOT_FOUND'
  | 'RANGE_NOT_SATISFIABLE'
  // storage
  | 'BLOB_NOT_FOUND'
  | 'DIGEST_MISMATCH'
  | 'INSUFFICIENT_STORAGE'
  | 'STORAGE_UNAVAILABLE'
  // accounts and access
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  | 'SETUP_DONE'
  | 'USER_EXISTS'
  | 'USER_NOT_FOUND'
  | 'ROLE_EXISTS'
  | 'ROLE_NOT_FOUND'
  | 'ROLE_BUILT_IN'
  | 'LAST_ADMIN'
  | 'LAST_OWNER'
  | 'TOKEN_NOT_FOUND'
  | 'UNKNOWN_PERMISSION'
  // signing
  | 'SIGNATURE_REQUIRED'
  | 'KEY_EXISTS'
  | 'KEY_NOT_FOUND'
  | 'KEY_PROOF_INVALID'
  | 'KEY_CHALLENGE_INVALID'
  // package encryption (lib/engine/security/encryption)
  | 'DECRYPT_FAILED'
  | 'ENCRYPTED_FORMAT_INVALID'
  // jobs (lib/engine/jobs)
  | 'JOB_NOT_FOUND'
  | 'JOB_STATE_INVALID'
  // alerts (lib/engine/alerts)
  | 'ALERT_RULE_NOT_FOUND'
  | 'ALERT_NOT_FIRING'
  | 'WEBHOOK_NOT_FOUND'
  // CDN edges (lib/engine/cdn)
  | 'EDGE_NOT_FOUND'
  | 'EDGE_EXISTS'
  | 'EDGE_UNREACHABLE'
  | 'EDGE_NOT_AN_EDGE'
  | 'EDGE_PURGE_TOKEN_REJECTED'
  | 'EDGE_PURGE_FAILED'
  // mirrors (lib/engine/mirrors)
  | 'MIRROR_NOT_FOUND'
  | 'MIRROR_EXISTS'
  | 'MIRROR_UNREACHABLE'
  | 'NOT_A_REGISTRY'
  // replication (lib/engine/replication)
  | 'REPLICATION_NODE_NOT_FOUND'
  | 'REPLICATION_NODE_EXISTS'
  | 'REPLICATION_NODE_UNAVAILABLE'
  | 'REPLICATION_FACTOR_UNSATISFIABLE'
  | 'REPLICATION_FAILED'
  | 'CONFLICT_NOT_FOUND'
  | 'CONFLICT_RESOLVED'
  // backups (lib/engine/backup)
  | 'BACKUP_REPO_NOT_FOUND'
  | 'BACKUP_REPO_EXISTS'
  | 'BACKUP_REPO_UNAVAILABLE'
  | 'BACKUP_REPO_LOCKED'
  | 'BACKUP_FORMAT_UNSUPPORTED'
  | 'BACKUP_WRONG_PASSWORD'
  | 'BACKUP_PASSWORD_UNAVAILABLE'
  | 'BACKUP_SNAPSHOT_NOT_FOUND'
  | 'BACKUP_CHUNK_MISSING'
  | 'BACKUP_CHUNK_DAMAGED'
  | 'BACKUP_RESTORE_TARGET_NOT_EMPTY'
  // edge role (lib/server/roles/edge-server.ts)
  | 'EDGE_ORIGIN_UNREACHABLE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
