/**
 * The suite every primary blob store passes behind a real origin over HTTP (the API test server):
 * publish, download whole and with Range, delete and garbage-collect, a refused publish leaving
 * nothing — and no package bytes ever staying in the data directory. Object stores run it with
 * their test server (s3rver, Azurite); `more` adds a store's own cases with the same fixtures.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { collectGarbage } from '@/lib/engine/registry/collect-garbage';
import type { BlobStore } from '@/lib/engine/storage/blob-store';
import { manualClock } from '@/lib/engine/test-support/temp-engine';
import { startApiTestServer, type ApiTestServer } from './api-test-server';

const DAY_MS = 24 * 60 * 60 * 1000;

export type PrimaryStoreFixture = {
  /** The store under the origin's data root (`root` is where a local store would keep blobs). */
  blobs(root: string): BlobStore;
  /** Every object name under the store's prefix, as the storage service lists them. */
  keys(): Promise<string[]>;
  stop(): Promise<void>;
};

export type PrimaryStoreContext = {
  api(p: string, init?: RequestInit): Promise<Response>;
  /** Files in the data dir other than the SQLite database, with sizes. */
  dataDirFiles(): Promise<{ file: string; size: number }[]>;
};

export function describePrimaryStore(
  label: string,
  opts: { kind: string; prefix: string; start(): Promise<PrimaryStoreFixture>; more?: (ctx: PrimaryStoreContext) => void },
): void {
  let store: PrimaryStoreFixture;
  let t: ApiTestServer;
  let admin: { token: string };
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    store = await opts.start();
    t = await startApiTestServer(undefined, { clock: clock.now, blobs: (root) => store.blobs(root) });
    admin = await t.user('root', ['admin']);
  });
  afterAll(async () => {
    await t?.close();
    await store?.stop();
  });

  const ctx: PrimaryStoreContext = {
    api(p, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${admin.token}`);
      return fetch(`${t.url}/api/v1${p}`, { ...init, headers });
    },
    async dataDirFiles() {
      const entries = await readdir(t.engine.dataDir, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile() && !/^torsh\.db(-wal|-shm|-journal)?$/.test(e.name));
      return Promise.all(files.map(async (e) => ({ file: path.relative(t.engine.dataDir, path.join(e.parentPath, e.name)), size: (await stat(path.join(e.parentPath, e.name))).size })));
    },
  };
  const { api, dataDirFiles } = ctx;

  describe(`the primary store on ${label}`, () => {
    it('publishes, downloads (whole and Range) and garbage-collects, keeping no package bytes on local disk', async () => {
      expect(t.engine.blobs.kind).toBe(opts.kind);
      // 12 MiB of incompressible weights: the upload is multipart / several blocks.
      const weights = randomBytes(12 << 20);
      const file = await writeSamplePackage({ name: 'store-model', version: '1.0.0', files: [{ path: 'models/model.bin', source: weights }] });
      const bytes = await readFile(file);

      const put = await api('/packages/store-model/1.0.0', { method: 'PUT', body: bytes });
      expect(put.status).toBe(201);
      const { digest } = (await put.json()) as { digest: string };
      const hex = digest.replace(/^sha256:/, '');
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.keys()).toEqual([`${opts.prefix}/blobs/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`]);
      expect(await dataDirFiles()).toEqual([]);

      const whole = await api('/packages/store-model/1.0.0/download');
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

      const start = 5 << 20;
      const end = start + 999_999;
      const ranged = await api('/packages/store-model/1.0.0/download', { headers: { range: `bytes=${start}-${end}` } });
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);

      const tail = await api('/packages/store-model/1.0.0/download', { headers: { range: `bytes=${bytes.length - 10}-` } });
      expect(tail.status).toBe(206);
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);

      const outside = await api('/packages/store-model/1.0.0/download', { headers: { range: `bytes=${bytes.length}-${bytes.length + 5}` } });
      expect(outside.status).toBe(416);

      // Referenced: GC keeps it.
      clock.advance(2 * DAY_MS);
      expect(await collectGarbage(t.engine)).toMatchObject({ blobsRemoved: 0 });
      expect(await store.keys()).toHaveLength(1);

      expect((await api('/packages/store-model/1.0.0', { method: 'DELETE' })).status).toBe(200);
      clock.advance(2 * DAY_MS);
      expect(await collectGarbage(t.engine)).toEqual({ tempFilesRemoved: 0, blobsRemoved: 1, bytesFreed: bytes.length });
      expect(await store.keys()).toEqual([]);
      expect(await t.engine.blobs.stat(hex)).toBeNull();
      expect(await dataDirFiles()).toEqual([]);
    });

    it('a publish refused by validation leaves nothing in the store or the data dir', async () => {
      const res = await api('/packages/store-bad/1.0.0', { method: 'PUT', body: Buffer.from('not a zip at all') });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await store.keys()).toEqual([]);
      expect(await dataDirFiles()).toEqual([]);
    });

    opts.more?.(ctx);
  });
}
