import type { Readable } from 'node:stream';

/** A blob is addressed by the sha256 of its bytes (lowercase hex, no prefix). */
export type BlobInfo = { digest: string; size: number };

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export type ByteRange = { start: number; end: number };

export type StageOptions = {
  /** Reject (BODY_TOO_LARGE) as soon as more bytes than this arrive. */
  maxBytes?: number;
  /** Reject (DIGEST_MISMATCH) when the bytes hash to something else. */
  expectedDigest?: string;
  /** Reject (UPLOAD_ABORTED) when fewer bytes arrive than announced. */
  expectedSize?: number;
  /** Sees every chunk, in order, as it is written (e.g. to validate while uploading). */
  onChunk?: (chunk: Buffer) => void;
};

/**
 * Bytes received and hashed into a private temp file, not yet visible in the store.
 * `path` is a local file a caller may read (e.g. to validate a package) before deciding.
 */
export type StagedBlob = BlobInfo & {
  path: string;
  /** Make the blob durable and visible under its digest (idempotent if it already exists). */
  commit(): Promise<void>;
  /** Drop the temp file. Safe to call after commit (no-op). */
  discard(): Promise<void>;
};

/**
 * Content-addressed blob storage. The local filesystem store is the embedded default;
 * object stores (S3) implement the same interface.
 */
export type BlobStore = {
  readonly kind: string;
  /** Stream bytes into a temp file while hashing; nothing is visible until commit(). */
  stage(body: Readable, opts?: StageOptions): Promise<StagedBlob>;
  /**
   * Stage a file that is already on this machine (e.g. a finished resumable upload): it is read
   * once for its digest (onChunk sees the bytes) and moved, not copied, when on the same disk.
   */
  stageFile(filePath: string, opts?: StageOptions): Promise<StagedBlob>;
  /** stage() + commit(). */
  put(body: Readable, opts?: StageOptions): Promise<BlobInfo>;
  /** A stream of the blob's bytes, or of an inclusive range of them. Throws BLOB_NOT_FOUND. */
  get(digest: string, range?: ByteRange): Promise<Readable>;
  stat(digest: string): Promise<BlobInfo | null>;
  /** true when something was deleted. */
  delete(digest: string): Promise<boolean>;
  /** Every committed blob, with its last-modified time (ms) for grace periods. */
  list(): AsyncIterable<BlobInfo & { modifiedAt: number }>;
  /** Remove temp files older than maxAgeMs (left by crashes); returns how many were removed. */
  sweepTemp(maxAgeMs: number): Promise<number>;
};

export const DIGEST_RE = /^[a-f0-9]{64}$/;
