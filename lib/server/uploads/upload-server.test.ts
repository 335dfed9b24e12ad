import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskFullAfter } from '@/lib/engine/test-support/disk-full';
import { manualClock } from '@/lib/engine/test-support/temp-engine';
import { captureStderr } from '@/lib/server/test-support/capture-stderr';
import { expireUploadsOf } from './expire-uploads';
import { createUploadServer, runAsUploader, UPLOADS_PATH, uploadExpiryMs } from './upload-server';

const TUS = { 'Tus-Resumable': '1.0.0' };
const META = { filename: 'm.torshpkg', name: 'm', version: '1.0.0' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-uploads-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const url = (id?: string) => `http://localhost${UPLOADS_PATH}${id ? `/${id}` : ''}`;

async function create(server: ReturnType<typeof createUploadServer>, length: number): Promise<string> {
  const res = await runAsUploader({ userId: 7, create: META }, () =>
    server.handleWeb(
      new Request(url(), {
        method: 'POST',
        // A client-supplied userId is replaced by the server's.
        headers: { ...TUS, 'Upload-Length': String(length), 'Upload-Metadata': `filename ${b64('m.torshpkg')},userId ${b64('1')}` },
      }),
    ),
  );
  expect(res.status).toBe(201);
  const location = res.headers.get('location')!;
  expect(location).toMatch(new RegExp(`^${UPLOADS_PATH}/[0-9a-f]{32}$`));
  return location.split('/').pop()!;
}

function patch(server: ReturnType<typeof createUploadServer>, id: string, offset: number, body: Buffer) {
  return runAsUploader({ userId: 7, uploadId: id }, () =>
    server.handleWeb(
      new Request(url(id), {
        method: 'PATCH',
        headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: new Uint8Array(body),
      }),
    ),
  );
}

function head(server: ReturnType<typeof createUploadServer>, id: string) {
  return runAsUploader({ userId: 7, uploadId: id }, () => server.handleWeb(new Request(url(id), { method: 'HEAD', headers: TUS })));
}

describe('tus upload server', () => {
  it('keeps an unfinished upload across a restart: a new server on the same directory serves its offset', async () => {
    const first = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024 });
    const id = await create(first, 10);
    expect((await patch(first, id, 0, Buffer.from('abcd'))).status).toBe(204);

    const restarted = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024 });
    const res = await head(restarted, id);
    expect(res.status).toBe(200);
    expect(res.headers.get('upload-offset')).toBe('4');
    expect(res.headers.get('upload-length')).toBe('10');
    const resumed = await patch(restarted, id, 4, Buffer.from('efghij'));
    expect(resumed.status).toBe(204);
    expect(resumed.headers.get('upload-offset')).toBe('10');
    // The uploader recorded server-side, whatever the client sent.
    const metadata = res.headers.get('upload-metadata')!;
    expect(metadata).toContain(`userId ${b64('7')}`);
    expect(metadata).toContain(`name ${b64('m')}`);
  });

  it('fails closed: no uploader context, or a context for another upload, is refused', async () => {
    const server = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024 });
    const id = await create(server, 10);
    expect((await server.handleWeb(new Request(url(id), { method: 'HEAD', headers: TUS }))).status).toBe(403);
    const other = await runAsUploader({ userId: 7, uploadId: 'f'.repeat(32) }, () => server.handleWeb(new Request(url(id), { method: 'HEAD', headers: TUS })));
    expect(other.status).toBe(403);
    const created = await server.handleWeb(new Request(url(), { method: 'POST', headers: { ...TUS, 'Upload-Length': '5' } }));
    expect(created.status).toBe(403);
    expect(await readdir(dir)).toHaveLength(2); // only the first upload's data and info
  });

  it('refuses an upload over the size limit (413)', async () => {
    const server = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 8 });
    const res = await runAsUploader({ userId: 7, create: META }, () =>
      server.handleWeb(new Request(url(), { method: 'POST', headers: { ...TUS, 'Upload-Length': '9' } })),
    );
    expect(res.status).toBe(413);
  });

  it('expires uploads past the expiry, finished or not, except those kept; fresh ones stay', async () => {
    const clock = manualClock();
    const server = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024, now: clock.now });
    const stale = await create(server, 10);
    expect((await patch(server, stale, 0, Buffer.from('abc'))).status).toBe(204);
    const finished = await create(server, 3);
    expect((await patch(server, finished, 0, Buffer.from('xyz'))).status).toBe(204);
    const kept = await create(server, 10);
    // Half an upload (bytes without info) left by a crash, older than the expiry.
    const orphan = path.join(dir, 'e'.repeat(32));
    await writeFile(orphan, 'x');
    const old = new Date(clock.now() - 120_000);
    await utimes(orphan, old, old);
    clock.advance(30_000);
    const fresh = await create(server, 10);

    expect(await expireUploadsOf(server, clock.now() + 30_000)).toBe(1); // only the orphan: the rest are exactly 60 s old
    expect(await expireUploadsOf(server, clock.now() + 30_001, (id) => id === kept)).toBe(2);
    for (const gone of [stale, `${stale}.json`, finished, `${finished}.json`]) expect(existsSync(path.join(dir, gone))).toBe(false);
    expect((await readdir(dir)).sort()).toEqual([fresh, `${fresh}.json`, kept, `${kept}.json`].sort());
    // The expired upload is gone for tus too; the client then starts a new one.
    expect([404, 410]).toContain((await head(server, stale)).status);
  });

  it('a full disk while receiving a chunk is 507; what was written stays, and the upload resumes from there', async () => {
    const stderr = captureStderr();
    try {
      const full = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024, writeStream: diskFullAfter(4) });
      const id = await create(full, 10);
      const res = await patch(full, id, 0, Buffer.from('abcdefghij'));
      expect(res.status).toBe(507);
      expect(await res.text()).toContain('out of storage space');
      const line = JSON.parse(stderr.lines().find((l) => l.includes('upload chunk not stored'))!);
      expect(line).toMatchObject({ level: 'error', upload: id, offset: 0, err: { code: 'ENOSPC' } });

      const freed = createUploadServer({ directory: dir, expiryMs: 60_000, maxSize: 1024 });
      const offset = Number((await head(freed, id)).headers.get('upload-offset'));
      expect(offset).toBe(4);
      const rest = await patch(freed, id, offset, Buffer.from('efghij'));
      expect(rest.headers.get('upload-offset')).toBe('10');
    } finally {
      stderr.restore();
    }
  });

  it('reads the expiry from TORSH_UPLOAD_EXPIRY_HOURS (default 24 h)', () => {
    expect(uploadExpiryMs({})).toBe(24 * 3600_000);
    expect(uploadExpiryMs({ TORSH_UPLOAD_EXPIRY_HOURS: '0.5' })).toBe(1800_000);
    expect(() => uploadExpiryMs({ TORSH_UPLOAD_EXPIRY_HOURS: '-1' })).toThrow();
  });
});
