import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureBlobStore, type AzureBlobStoreOptions } from './azure-blob-store';
import { azureBlobStoreFromEnv } from './azure-store-config';
import { describeBlobStoreContract } from './test-support/blob-store-contract';
import { AZURITE_KEY, azuriteConnectionString, freePort, startAzurite, type Azurite } from './test-support/azurite';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

describe('Azure blob store (Azurite)', () => {
  let azurite: Azurite;
  let tempRoot: string;
  let n = 0;
  const make = (over: Partial<AzureBlobStoreOptions> = {}) =>
    createAzureBlobStore({
      connectionString: azurite.connectionString,
      container: azurite.container,
      prefix: `run${++n}`,
      tempDir: path.join(tempRoot, `tmp${n}`),
      retryOptions: { maxTries: 1 },
      ...over,
    });

  beforeAll(async () => {
    azurite = await startAzurite();
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'torsh-azure-test-'));
  }, 30_000);
  afterAll(async () => {
    await azurite?.stop();
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  });

  describeBlobStoreContract('azure (Azurite)', async () => {
    const tempDir = path.join(tempRoot, `contract${++n}`, 'tmp');
    return {
      store: make({ prefix: `contract${n}`, tempDir }),
      tempDir,
      cleanup: () => rm(path.dirname(tempDir), { recursive: true, force: true }),
    };
  });

  it('puts, stats, lists, reads ranges and deletes, with names <prefix>blobs/aa/bb/<sha256>', async () => {
    const store = make({ prefix: 'tenant-a/' });
    const info = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(info).toEqual({ digest: sha('hello world'), size: 11 });
    expect(await text(await store.get(info.digest))).toBe('hello world');
    expect(await text(await store.get(info.digest, { start: 2, end: 5 }))).toBe('llo ');
    expect(await text(await store.get(info.digest, { start: 10, end: 10 }))).toBe('d');
    await expect(store.get(info.digest, { start: 5, end: 11 })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    await expect(store.get(info.digest, { start: 11, end: 12 })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    expect(await store.stat(info.digest)).toEqual(info);

    const { BlobServiceClient } = await import('@azure/storage-blob');
    const names: string[] = [];
    const c = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(azurite.container);
    for await (const b of c.listBlobsFlat({ prefix: 'tenant-a/' })) names.push(b.name);
    const d = info.digest;
    expect(names).toEqual([`tenant-a/blobs/${d.slice(0, 2)}/${d.slice(2, 4)}/${d}`]);

    const listed = [];
    for await (const x of store.list()) listed.push(x);
    expect(listed).toEqual([info]);
    expect(await store.delete(d, () => true)).toBe(false);
    expect(await store.delete(d)).toBe(true);
    expect(await store.delete(d)).toBe(false);
    expect(await store.stat(d)).toBeNull();
    await expect(store.get(d)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('TORSH_STORAGE=azure://<container>/<prefix> with TORSH_AZURE_CONNECTION_STRING stores under the prefix', async () => {
    const dataDir = path.join(tempRoot, 'data-env');
    const store = azureBlobStoreFromEnv(`azure://${azurite.container}/env/prefix/`, { TORSH_AZURE_CONNECTION_STRING: azurite.connectionString }, dataDir);
    const info = await store.put(Readable.from([Buffer.from('via env')]));
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const c = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(azurite.container);
    const names: string[] = [];
    for await (const b of c.listBlobsFlat({ prefix: 'env/' })) names.push(b.name);
    expect(names).toEqual([`env/prefix/blobs/${info.digest.slice(0, 2)}/${info.digest.slice(2, 4)}/${info.digest}`]);
    expect(await readdir(path.join(dataDir, 'tmp', 'blob-staging'))).toEqual([]);
  });

  it('delete is conditional on the ETag read before keep(): the same bytes re-uploaded meanwhile survive', async () => {
    // A loopback proxy to Azurite that holds DELETE requests until the gate opens.
    let gate: Promise<void> = Promise.resolve();
    const proxy = http.createServer((req, res) => {
      const forward = () => {
        const up = http.request({ host: '127.0.0.1', port: azurite.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        req.pipe(up);
      };
      if (req.method === 'DELETE') void gate.then(forward);
      else forward();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const prefix = `race${++n}`;
      const viaProxy = make({ prefix, connectionString: azuriteConnectionString((proxy.address() as { port: number }).port) });
      const direct = make({ prefix });
      const { digest } = await viaProxy.put(Readable.from([Buffer.from('raced')]));
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      // keep() says "not live"; then a publish of the same bytes commits before the DELETE arrives.
      const deleted = await viaProxy.delete(digest, () => {
        void direct.put(Readable.from([Buffer.from('raced')])).then(() => open());
        return false;
      });
      expect(deleted).toBe(false);
      expect(await direct.stat(digest)).toEqual({ digest, size: 5 });
      expect(await text(await direct.get(digest))).toBe('raced');
      // Unraced, the same delete goes through.
      gate = Promise.resolve();
      expect(await viaProxy.delete(digest, () => false)).toBe(true);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('a download whose connection breaks midway resumes where it stopped, bytes identical', async () => {
    const blobBytes = randomBytes(4 << 20);
    let cut = 0;
    // A loopback proxy to Azurite that cuts the first GET of the blob after 1 MiB of body.
    const proxy = http.createServer((req, res) => {
      const up = http.request({ host: '127.0.0.1', port: azurite.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        if (req.method !== 'GET' || !req.url?.includes('/blobs/') || cut++ > 0) return void r.pipe(res);
        let sent = 0;
        r.on('data', (c: Buffer) => {
          if (sent >= 1 << 20) return;
          sent += c.length;
          res.write(c);
          if (sent >= 1 << 20) res.socket?.destroy();
        });
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const prefix = `resume${++n}`;
      const viaProxy = make({ prefix, connectionString: azuriteConnectionString((proxy.address() as { port: number }).port) });
      const info = await make({ prefix }).put(Readable.from([blobBytes]));
      const got = Buffer.concat(await (await viaProxy.get(info.digest)).toArray());
      expect(cut).toBeGreaterThan(1);
      expect(got.equals(blobBytes)).toBe(true);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('keeps staged bytes in a local temp file, invisible until commit, which removes it', async () => {
    const tempDir = path.join(tempRoot, 'staging');
    const store = make({ tempDir });
    const staged = await store.stage(Readable.from([Buffer.from('staged bytes')]));
    expect(await text(Readable.from(await import('node:fs').then((fs) => fs.createReadStream(staged.path))))).toBe('staged bytes');
    expect(await store.stat(staged.digest)).toBeNull();
    await staged.commit();
    expect(await readdir(tempDir)).toEqual([]);
    expect(await text(await store.get(staged.digest))).toBe('staged bytes');
    const again = await store.stage(Readable.from([Buffer.from('discarded')]));
    await again.discard();
    expect(await readdir(tempDir)).toEqual([]);
    expect(await store.stat(again.digest)).toBeNull();
  });

  it('stores an empty blob', async () => {
    const store = make();
    const info = await store.put(Readable.from([]));
    expect(info).toEqual({ digest: sha(''), size: 0 });
    expect(await store.stat(info.digest)).toEqual(info);
    expect(await text(await store.get(info.digest))).toBe('');
  });

  it('round-trips 64 MiB in staged blocks, byte-identical, and serves a range from the middle', async () => {
    const store = make({ blockSize: 4 << 20 });
    const chunk = randomBytes(1 << 20);
    const chunks = Array.from({ length: 64 }, (_, i) => {
      const c = Buffer.from(chunk);
      c.writeUInt32BE(i, 0);
      return c;
    });
    const whole = createHash('sha256');
    for (const c of chunks) whole.update(c);
    const expected = whole.digest('hex');
    const info = await store.put(Readable.from(chunks));
    expect(info).toEqual({ digest: expected, size: 64 << 20 });

    const back = createHash('sha256');
    let size = 0;
    for await (const c of await store.get(info.digest)) {
      back.update(c as Buffer);
      size += (c as Buffer).length;
    }
    expect({ digest: back.digest('hex'), size }).toEqual(info);

    // Bytes 10 MiB - 3 … 10 MiB + 4 span the end of chunk 9 and the start of chunk 10.
    const start = (10 << 20) - 3;
    const got = Buffer.concat(await (await store.get(info.digest, { start, end: start + 7 })).toArray());
    expect(got).toEqual(Buffer.concat([chunks[9].subarray(-3), chunks[10].subarray(0, 5)]));
  }, 120_000);

  it('works with a container-scoped SAS in the connection string instead of the account key', async () => {
    const { BlobServiceClient, ContainerSASPermissions } = await import('@azure/storage-blob');
    const c = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(azurite.container);
    const sasUrl = await c.generateSasUrl({ permissions: ContainerSASPermissions.parse('racwdl'), expiresOn: new Date(Date.now() + 3_600_000) });
    const sas = new URL(sasUrl).search.slice(1);
    const store = make({ connectionString: `BlobEndpoint=${azurite.accountUrl};SharedAccessSignature=${sas}` });
    const info = await store.put(Readable.from([Buffer.from('via sas')]));
    expect(await text(await store.get(info.digest))).toBe('via sas');
    const listed = [];
    for await (const x of store.list()) listed.push(x);
    expect(listed).toEqual([info]);
    expect(await store.delete(info.digest)).toBe(true);
  });

  describe('clear errors, with no secret in them', () => {
    const wrongKey = Buffer.alloc(64, 7).toString('base64');
    const noSecret = (err: unknown) => {
      const s = JSON.stringify({ m: (err as Error).message, d: (err as { details?: unknown }).details });
      expect(s).not.toContain(AZURITE_KEY);
      expect(s).not.toContain(wrongKey);
      expect(s).not.toContain('AccountKey');
    };

    it('a wrong key', async () => {
      const store = make({ connectionString: azuriteConnectionString(azurite.port, wrongKey) });
      const err = await store.put(Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        message: expect.stringMatching(/account devstoreaccount1, container torsh-test.*credentials were rejected/),
      });
      noSecret(err);
      await expect(store.stat(sha('x'))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    });

    it('a missing container', async () => {
      const store = make({ container: 'no-such-container' });
      const err = await store.put(Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'STORAGE_UNAVAILABLE',
        message: expect.stringMatching(/container no-such-container.*container does not exist/),
      });
      noSecret(err);
      await expect(store.get(sha('x'))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      const list = async () => {
        for await (const _ of store.list()) void _;
      };
      await expect(list()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    });

    it('an unreachable endpoint', async () => {
      const port = await freePort();
      const store = make({ connectionString: azuriteConnectionString(port) });
      const err = await store.put(Readable.from([Buffer.from('x')])).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: expect.stringContaining('could not be reached') });
      noSecret(err);
      await expect(store.stat(sha('x'))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    });

    it('the account URL and key form gives the same clear error', async () => {
      const store = make({ connectionString: undefined, accountUrl: azurite.accountUrl, accountName: 'devstoreaccount1', accountKey: wrongKey });
      const err = await store.stat(sha('x')).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: expect.stringContaining('credentials were rejected') });
      noSecret(err);
    });
  });
});
