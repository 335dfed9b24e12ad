// TEMPORARY (not committed): stands in for B1's repository until it lands.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors';
import { packChunk, unpackChunk } from '../chunking/compress';
import { DEFAULT_CHUNKER, type BackupRepository, type ChunkIndex, type IndexEntry, type Snapshot } from '../types';

export async function fakeRepo(dir: string): Promise<BackupRepository> {
  await mkdir(path.join(dir, 'data'), { recursive: true });
  await mkdir(path.join(dir, 'snapshots'), { recursive: true });
  await mkdir(path.join(dir, 'index'), { recursive: true });
  const key = { encKey: Buffer.alloc(32, 1), idKey: Buffer.alloc(32, 2), chunkerKey: Buffer.alloc(32, 3) };
  const chunkId = (d: Buffer) => createHmac('sha256', key.idKey).update(d).digest('hex');
  const repo: BackupRepository = {
    backend: null as never,
    config: { version: 1, id: 'x', createdAt: 0, chunker: { ...DEFAULT_CHUNKER, algorithm: 'fastcdc-gear-v1' }, compression: 'deflate-raw-auto' },
    keyId: 'k',
    key,
    chunkId,
    async loadIndex() {
      const m = new Map<string, IndexEntry>();
      for (const f of await readdir(path.join(dir, 'index'))) {
        for (const [id, e] of JSON.parse(await readFile(path.join(dir, 'index', f), 'utf8')) as [string, IndexEntry][]) m.set(id, e);
      }
      const idx: ChunkIndex = {
        has: (id) => m.has(id),
        get: (id) => m.get(id),
        entries: () => m.entries(),
        get count() { return m.size; },
        get storedBytes() { let n = 0; for (const e of m.values()) n += e.stored; return n; },
      };
      return idx;
    },
    openChunkWriter(index) {
      const added = new Map<string, IndexEntry>();
      let bytes = 0;
      return {
        async add(data) {
          const id = chunkId(data);
          if (index.has(id) || added.has(id)) return { id, isNew: false, stored: 0 };
          const packed = packChunk(data);
          await writeFile(path.join(dir, 'data', id), packed);
          added.set(id, { stored: packed.length, raw: data.length });
          bytes += packed.length;
          return { id, isNew: true, stored: packed.length };
        },
        async finish() {
          if (added.size === 0) return { newChunks: 0, newBytes: 0, indexId: null };
          const indexId = randomBytes(8).toString('hex');
          await writeFile(path.join(dir, 'index', indexId), JSON.stringify([...added]));
          return { newChunks: added.size, newBytes: bytes, indexId };
        },
        async abort() {},
      };
    },
    async readChunk(id) {
      const b = await readFile(path.join(dir, 'data', id)).catch(() => null);
      if (!b) throw new AppError('BACKUP_CHUNK_MISSING', id);
      const d = unpackChunk(b, 8 << 20);
      if (chunkId(d) !== id) throw new AppError('BACKUP_CHUNK_DAMAGED', id);
      return d;
    },
    async writeSnapshot(s) {
      await writeFile(path.join(dir, 'snapshots', s.id), JSON.stringify(s));
    },
    async listSnapshots() {
      const out: Snapshot[] = [];
      for (const f of await readdir(path.join(dir, 'snapshots'))) out.push(JSON.parse(await readFile(path.join(dir, 'snapshots', f), 'utf8')));
      return out.sort((a, b) => a.time - b.time);
    },
    async readSnapshot(p) {
      const all = (await repo.listSnapshots()).filter((s) => s.id.startsWith(p));
      if (all.length !== 1) throw new AppError('BACKUP_SNAPSHOT_NOT_FOUND', p);
      return all[0];
    },
    async deleteSnapshot(id) {
      await rm(path.join(dir, 'snapshots', id));
    },
    async lock() {
      return { id: 'l', release: async () => {} };
    },
    addKey: async () => 'k',
    removeKey: async () => {},
    listKeys: async () => [],
  };
  return repo;
}
