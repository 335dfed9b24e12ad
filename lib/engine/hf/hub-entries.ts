import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { packages, resources, type VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { getWithFailover } from '../replication/failover-download';
import { openHubFile } from './open-hub-file';
import { readZipDirectory } from './read-zip-directory';

/** Files at least this large, and every file under models/, are LFS files (as the Hub stores weights). */
export const LFS_MIN_BYTES = 10 * 1024 * 1024;

export type HubLfs = { oid: string; size: number; pointerSize: number };

export type HubEntry = {
  path: string;
  size: number;
  sha256: string;
  /** The git blob id the Hub reports as `oid`: of the bytes, or of the LFS pointer for LFS files. */
  gitOid: string;
  lfs: HubLfs | null;
  method: 'stored' | 'deflate';
  dataOffset: number;
  compressedSize: number;
};

type VersionRef = Pick<VersionRow, 'id' | 'digest' | 'size' | 'version' | 'encrypted' | 'packageId'>;

const CACHE_MAX = 256;
const cache = new WeakMap<Engine, Map<string, Promise<HubEntry[]>>>();

function gitBlobId(bytesOrSize: Buffer): string {
  return createHash('sha1').update(`blob ${bytesOrSize.length}\0`).update(bytesOrSize).digest('hex');
}

export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

function isLfs(path: string, size: number): boolean {
  return size >= LFS_MIN_BYTES || path.startsWith('models/');
}

function lfsFields(sha256: string, size: number): { gitOid: string; lfs: HubLfs } {
  const pointer = Buffer.from(lfsPointer(sha256, size));
  return { gitOid: gitBlobId(pointer), lfs: { oid: sha256, size, pointerSize: pointer.length } };
}

/** The ETag the Hub sends for a file: the sha256 of an LFS file, else its git blob id. */
export const hubEtag = (e: Pick<HubEntry, 'lfs' | 'gitOid'>) => (e.lfs ? e.lfs.oid : e.gitOid);

export function encryptedFileName(name: string, version: string): string {
  return `${name}-${version}.torshpkg`;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function build(engine: Engine, row: VersionRef): Promise<HubEntry[]> {
  if (row.encrypted) {
    const name = engine.db.select({ name: packages.name }).from(packages).where(eq(packages.id, row.packageId)).get()!.name;
    const path = encryptedFileName(name, row.version);
    return [{ path, size: row.size, sha256: row.digest, ...lfsFields(row.digest, row.size), method: 'stored', dataOffset: 0, compressedSize: row.size }];
  }
  const known = new Map(
    engine.db.select({ path: resources.path, sha256: resources.sha256 }).from(resources).where(eq(resources.versionId, row.id)).all().map((r) => [r.path, r.sha256]),
  );
  const readAt = async (offset: number, length: number) => readAll(await getWithFailover(engine, row, { start: offset, end: offset + length - 1 }));
  const dir = await readZipDirectory(readAt, row.size);
  const entries: HubEntry[] = [];
  for (const e of dir) {
    const base = { path: e.path, size: e.size, method: e.method, dataOffset: e.dataOffset, compressedSize: e.compressedSize };
    const sha = known.get(e.path);
    if (sha && isLfs(e.path, e.size)) {
      entries.push({ ...base, sha256: sha, ...lfsFields(sha, e.size) });
      continue;
    }
    // Not in resources (MANIFEST.json, .metadata files) or a small file whose git id needs its bytes: read it once.
    if (isLfs(e.path, e.size)) {
      const hash = createHash('sha256');
      for await (const c of await openHubFile(engine, row, { ...base, sha256: '', gitOid: '', lfs: null })) hash.update(c as Buffer);
      const sha256 = hash.digest('hex');
      entries.push({ ...base, sha256, ...lfsFields(sha256, e.size) });
    } else {
      const bytes = await readAll(await openHubFile(engine, row, { ...base, sha256: '', gitOid: '', lfs: null }));
      entries.push({ ...base, sha256: sha ?? createHash('sha256').update(bytes).digest('hex'), gitOid: gitBlobId(bytes), lfs: null });
    }
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The repo files of a version: the package's entries (MANIFEST.json, models/…, config/…, their
 * `.metadata` files) with sizes, sha256 and where their bytes lie in the blob; an encrypted
 * package is one opaque file. Cached by digest (a bounded LRU): versions are immutable.
 */
export function hubEntries(engine: Engine, row: VersionRef): Promise<HubEntry[]> {
  let lru = cache.get(engine);
  if (!lru) cache.set(engine, (lru = new Map()));
  const key = `${row.digest}:${row.encrypted ? 'e' : 'z'}:${row.packageId}:${row.version}`;
  const hit = lru.get(key);
  if (hit) {
    lru.delete(key);
    lru.set(key, hit);
    return hit;
  }
  const made = build(engine, row);
  made.catch(() => lru.delete(key));
  lru.set(key, made);
  while (lru.size > CACHE_MAX) lru.delete(lru.keys().next().value!);
  return made;
}
