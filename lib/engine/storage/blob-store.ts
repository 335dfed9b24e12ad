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
  /** Told the temp file's path before the file is created (a publish holds it against the temp sweep). */
  onTempPath?: (tempPath: string) => void;
  /**
   * 'caller': the bytes are not hashed here; the caller hashes the one stream it fans out to
   * several stores and commits only after that hash matched. Requires expectedDigest and
   * expectedSize (the size is still checked); stage() only.
   */
  verifiedBy?: 'caller';
};

/**
 * Bytes received and hashed into a private temp file, not yet visible in the store.
 * `path` is a local file a caller may read (e.g. to validate a package) before deciding.
 */
export type StagedBlob = BlobInfo & {
  path: string;
  /** Make the blob durable and visible under its digest (an existing blob of that digest is replaced by the same bytes). */
  commit(): Promise<void>;
  /** Drop the temp file. Safe to call after commit (no-op). */
  discard(): Promise<void>;
};

/**
 * Content-addressed blob storage. The local filesystem store is the embedded default;
 * object stores (S3) implement the same interface. Whoever writes a blob holds its digest
 * (blob_holds) until a version references it: garbage collection removes whatever is neither.
 */
export type BlobStore = {
  readonly kind: string;
  /** Stream bytes into a temp file while hashing; nothing is visible until commit(). */
  stage(body: Readable, opts?: StageOptions): Promise<StagedBlob>;
  /**
   * Stage a file that is already on this machine (e.g. a finished resumable upload): it is read
   * once for its digest (onChunk sees the bytes) and hard-linked, not copied, when on the same
   * disk. The source file is left in place for the caller to remove.
   */
  stageFile(filePath: string, opts?: StageOptions): Promise<StagedBlob>;
  /** stage() + commit(). */
  put(body: Readable, opts?: StageOptions): Promise<BlobInfo>;
  /** A stream of the blob's bytes, or of an inclusive range of them. Throws BLOB_NOT_FOUND. */
  get(digest: string, range?: ByteRange): Promise<Readable>;
  stat(digest: string): Promise<BlobInfo | null>;
  /**
   * Delete a blob unless keep() says otherwise; true when something was deleted. keep() is asked
   * right before the removal, and a local store runs both in one synchronous step, so nothing
   * can take hold of the blob in between.
   */
  delete(digest: string, keep?: () => boolean): Promise<boolean>;
  /** Every committed blob. */
  list(): AsyncIterable<BlobInfo>;
  /**
   * Remove temp files last modified before `olderThan` (ms since the epoch; left by crashes)
   * unless keep(path) says otherwise, asked as delete() asks; returns how many were removed.
   */
  sweepTemp(opts: { olderThan: number; keep?: (tempPath: string) => boolean }): Promise<number>;
  /** Local stores: the file a committed blob lives in (it may not exist), so another local store can copy it in the kernel. */
  localPath?(digest: string): string;
  /**
   * Local stores: stage a copy of a file on this machine made by the kernel (copy_file_range: the
   * bytes never enter the process). It does not hash: the caller verifies the source against
   * `expectedDigest` (one read for any number of copies) and discards the staged copies when it
   * does not match; the copy's size is checked against `expectedSize`.
   */
  stageCopy?(srcPath: string, opts: StageOptions & { expectedDigest: string; expectedSize: number }): Promise<StagedBlob>;
};

export const DIGEST_RE = /^[a-f0-9]{64}$/;
