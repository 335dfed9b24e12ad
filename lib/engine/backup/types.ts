/**
 * Backups (issue 11): the contract shared by the repository (lib/engine/backup/repo), the
 * snapshot, retention and verify modules, the server (jobs, routes, Backups page) and the CLI
 * (`torsh backup …`). The on-disk format is documented in docs/BACKUP-FORMAT.md.
 */

/** Version of the repository format (`config.version`); readers refuse a newer one. */
export const BACKUP_REPO_VERSION = 1;

/** Snapshot file format version (`snapshot.version`). */
export const SNAPSHOT_VERSION = 1;

/**
 * Object storage under one repository (a folder, an S3 prefix or an Azure container prefix).
 * Keys are relative, `/`-separated (`config`, `keys/<id>`, `data/ab/<id>`, `index/<id>`,
 * `snapshots/<id>`, `locks/<id>`). Objects are small (a chunk is at most the chunker's max size).
 */
export type RepoBackend = {
  /** Where it is, without secrets (errors, logs, `torsh backup` output). */
  readonly location: string;
  readonly kind: 'local' | 's3' | 'azure';
  /** Write the whole object atomically (readers see the old object or the new one, never a part) and durably. */
  put(key: string, body: Buffer): Promise<void>;
  /** Write only when no object has this key; false when one exists (config, lock files). */
  putIfAbsent(key: string, body: Buffer): Promise<boolean>;
  /** The object's bytes; null when absent. */
  get(key: string): Promise<Buffer | null>;
  /** Size in bytes; null when absent. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Every object under the prefix (recursive), in no particular order. */
  list(prefix: string): AsyncIterable<{ key: string; size: number; modifiedAt: number }>;
  /** Remove the object; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** Make every put so far durable (local: fsync the directories written); a no-op on object stores. */
  flush(): Promise<void>;
};

/** Where a repository lives: the same backend shapes as replication nodes (secrets apart). */
export type RepoLocation =
  | { type: 'local'; path: string }
  | {
      type: 's3';
      bucket: string;
      prefix: string;
      endpoint: string | null;
      region: string;
      forcePathStyle: boolean;
      accessKeyId: string | null;
      secretAccessKey: string | null;
    }
  | { type: 'azure'; container: string; prefix: string; connectionString: string };

/** Content-defined chunking parameters (bytes). */
export type ChunkerParams = { minSize: number; avgSize: number; maxSize: number };

export const DEFAULT_CHUNKER: ChunkerParams = { minSize: 128 * 1024, avgSize: 1024 * 1024, maxSize: 4 * 1024 * 1024 };

/** The plaintext `config` object at the repository root. */
export type RepoConfig = {
  version: number;
  /** Random 32 hex: the repository's identity (servers check they reopen the same one). */
  id: string;
  createdAt: number;
  chunker: ChunkerParams & { algorithm: 'fastcdc-gear-v1' };
  /** chunking/compress.ts: per chunk raw, brotli quality 1 or byte planes, chosen on a sample (docs/BACKUP-FORMAT.md). */
  compression: 'brotli-auto';
};

/** The secret keys of a repository, wrapped by each password in `keys/<id>`. */
export type MasterKey = {
  /** AES-256-GCM key for every sealed object. */
  encKey: Buffer;
  /** HMAC-SHA256 key of chunk ids (ids reveal nothing of the content). */
  idKey: Buffer;
  /** Seeds the chunker's gear table (boundaries reveal nothing either). */
  chunkerKey: Buffer;
};

export type RepoKeyInfo = { id: string; label: string | null; createdAt: number; host: string; current: boolean };

export type LockMode = 'shared' | 'exclusive';
export type RepoLock = { readonly id: string; release(): Promise<void> };

/** A chunk the index knows: its stored (sealed) size and its plaintext size. */
export type IndexEntry = { stored: number; raw: number };

export type ChunkIndex = {
  has(id: string): boolean;
  get(id: string): IndexEntry | undefined;
  entries(): IterableIterator<[string, IndexEntry]>;
  readonly count: number;
  /** Sum of stored sizes of every indexed chunk. */
  readonly storedBytes: number;
};

export type ChunkWriter = {
  /** Store a chunk unless the index (or this writer) has it; waits while too many writes are in flight. */
  add(data: Buffer): Promise<{ id: string; isNew: boolean; stored: number }>;
  /** Wait for every write, make them durable, then write one index file naming the new chunks. */
  finish(): Promise<{ newChunks: number; newBytes: number; indexId: string | null }>;
  /** Stop: chunks written so far stay unindexed (prune removes them). */
  abort(): Promise<void>;
};

export type SnapshotKind = 'registry' | 'package';

export type SnapshotFile = {
  /** `db/torsh.db`, `blobs/<sha256>`, `keys/registry-ed25519.pem`, `config/settings.json`; package: `package/<name>-<version>.torshpkg`, `package/version.json`. */
  path: string;
  size: number;
  /** Chunk ids in order. */
  chunks: string[];
  /** sha256 of the whole file (hex), checked on restore. */
  sha256: string;
};

export type RecoveryPoint = { name: string; description: string | null };

export type SnapshotStats = {
  /** Sum of the files' sizes. */
  logicalBytes: number;
  fileCount: number;
  /** Distinct chunks the snapshot references. */
  uniqueChunks: number;
  /** Chunks and stored (sealed) bytes this snapshot added to the repository. */
  newChunks: number;
  newBytes: number;
  durationMs: number;
};

export type Snapshot = {
  version: number;
  /** Random 64 hex; commands accept any unique prefix of at least 8. */
  id: string;
  time: number;
  host: string;
  kind: SnapshotKind;
  tags: string[];
  description: string | null;
  /** Set: a named recovery point, exempt from retention. */
  recoveryPoint: RecoveryPoint | null;
  /** Per-package snapshots: which name@version. */
  package: { name: string; version: string } | null;
  /** The data directory (or origin) it was taken from. */
  source: string;
  files: SnapshotFile[];
  stats: SnapshotStats;
};

export type SnapshotSummary = Omit<Snapshot, 'files'> & {
  /** logicalBytes / newBytes (a full copy is 1; higher: more was already stored). */
  dedupRatio: number;
};

/** Progress of a long operation (the job queue's JobProgress shape). */
export type BackupProgress = { done: number; total: number | null; message?: string };
export type OnProgress = (p: BackupProgress) => void;

/** An opened, unlocked repository. */
export type BackupRepository = {
  readonly backend: RepoBackend;
  readonly config: RepoConfig;
  /** The key file the password opened. */
  readonly keyId: string;
  readonly key: MasterKey;
  /** Keyed chunk id: hex HMAC-SHA256(idKey, plaintext). */
  chunkId(data: Buffer): string;
  /** Every index file merged (chunks named by several index files count once). */
  loadIndex(): Promise<ChunkIndex>;
  openChunkWriter(index: ChunkIndex): ChunkWriter;
  /** Read, decrypt, decompress and check a chunk against its id (BACKUP_CHUNK_MISSING / BACKUP_CHUNK_DAMAGED). */
  readChunk(id: string): Promise<Buffer>;
  writeSnapshot(snapshot: Snapshot): Promise<void>;
  /** Every snapshot, oldest first (a snapshot file that does not decrypt is reported, not skipped: BACKUP_CHUNK_DAMAGED naming it). */
  listSnapshots(): Promise<Snapshot[]>;
  /** By id or a unique prefix (≥ 8 hex): BACKUP_SNAPSHOT_NOT_FOUND. */
  readSnapshot(idOrPrefix: string): Promise<Snapshot>;
  deleteSnapshot(id: string): Promise<void>;
  /** Shared: backup, verify, restore, list. Exclusive: forget, prune, key changes. BACKUP_REPO_LOCKED when it conflicts. */
  lock(mode: LockMode, operation: string): Promise<RepoLock>;
  addKey(password: string, label?: string): Promise<string>;
  /** Refuses to remove the last key and the key in use. */
  removeKey(id: string): Promise<void>;
  listKeys(): Promise<RepoKeyInfo[]>;
};

/** Retention (issue 11 §3): every field optional; an empty policy keeps everything. */
export type RetentionPolicy = {
  keepLast?: number;
  /** A duration: `36h`, `7d`, `2w`, `6m`, `1y` (m = 30 days, y = 365 days). */
  keepWithin?: string;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  keepTags?: string[];
};

export type RetentionDecision = { id: string; time: number; keep: boolean; reasons: string[] };

export type ForgetPlan = {
  decisions: RetentionDecision[];
  /** Snapshots that go. */
  remove: string[];
  /** Chunks only the removed snapshots reference, and their stored bytes: what prune frees. */
  freedChunks: number;
  freedBytes: number;
};

export type PruneReport = { removedChunks: number; freedBytes: number; orphanChunks: number; indexFilesRewritten: number; durationMs: number };

export type DamagedChunk = {
  chunkId: string;
  problem: 'missing' | 'unindexed' | 'corrupt';
  /** Snapshot ids referencing it. */
  snapshots: string[];
  files: { snapshot: string; path: string }[];
};

export type VerifyReport = {
  mode: 'structure' | 'read-data';
  ok: boolean;
  snapshots: number;
  chunksChecked: number;
  bytesRead: number;
  damaged: DamagedChunk[];
  /** Snapshot or index files that do not decrypt. */
  damagedFiles: string[];
  durationMs: number;
};

/** Job kinds (server). */
export const BACKUP_JOBS = {
  create: 'backup.create',
  verify: 'backup.verify',
  restore: 'backup.restore',
  forget: 'backup.forget',
  prune: 'backup.prune',
} as const;

/** Metric series (dim `b:<repository id>`). */
export const BACKUP_SERIES = {
  /** One event per backup run: value 1 = succeeded, 0 = failed. */
  run: 'backup.run',
  /** Gauges after each run / prune: stored bytes, logical bytes of all snapshots, their ratio. */
  repoBytes: 'backup.repo_bytes',
  logicalBytes: 'backup.logical_bytes',
  dedupRatio: 'backup.dedup_ratio',
} as const;

export const BACKUP_REPO_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
