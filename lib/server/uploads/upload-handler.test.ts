import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { createSession } from '@/lib/engine/access/sessions';
import { createToken } from '@/lib/engine/access/tokens';
import { createUser, getUser } from '@/lib/engine/access/users';
import type { Actor } from '@/lib/engine/actor';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { writePackage } from '@/lib/engine/format/write-package';
import { getVersion } from '@/lib/engine/registry';
import { listBlobFiles, tempEngine } from '@/lib/engine/test-support/temp-engine';
import { installEngine } from '../engine';
import { SESSION_COOKIE } from '../session-cookie';
import { publishUpload } from './publish-upload';
import { uploadRoute } from './upload-handler';
import { uploadsDir } from './upload-server';

const LIMIT = 1024 * 1024;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const meta = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k} ${b64(v)}`).join(',');

let engine: Awaited<ReturnType<typeof tempEngine>>;
type Who = { token: string; actor: Actor; cookie: string };
const who: Record<'alice' | 'bob' | 'vic', Who> = {} as never;

beforeAll(async () => {
  engine = await tempEngine({ maxUploadBytes: LIMIT });
  await bootstrapAccounts(engine, undefined);
  installEngine(engine);
  for (const [name, role] of [['alice', 'contributor'], ['bob', 'contributor'], ['vic', 'viewer']] as const) {
    const { id } = await createUser(engine, { username: name, email: `${name}@x.test`, password: 'password-long-1', roles: [role] });
    const actor = actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
    const session = createSession(engine, id, { clientAddr: null, userAgent: null }).token;
    who[name] = { token: createToken(engine, actor, { name: 't' }).token, actor, cookie: `${SESSION_COOKIE}=${session}` };
  }
});
afterAll(async () => {
  await engine?.cleanup();
});

const handlers = { POST: uploadRoute('POST'), PATCH: uploadRoute('PATCH'), HEAD: uploadRoute('HEAD'), DELETE: uploadRoute('DELETE') };

function call(method: keyof typeof handlers, opts: { id?: string; auth?: Record<string, string>; headers?: Record<string, string>; body?: Buffer }) {
  const req = new Request(`http://localhost/api/v1/uploads${opts.id ? `/${opts.id}` : ''}`, {
    method,
    headers: { 'Tus-Resumable': '1.0.0', ...opts.auth, ...opts.headers },
    body: opts.body ? new Uint8Array(opts.body) : undefined,
  });
  return handlers[method](req, { params: Promise.resolve(opts.id ? { path: [opts.id] } : {}) });
}

const bearer = (w: Who) => ({ authorization: `Bearer ${w.token}` });

async function createUpload(w: Who, length: number, m: Record<string, string>) {
  return call('POST', { auth: bearer(w), headers: { 'Upload-Length': String(length), 'Upload-Metadata': meta(m) } });
}

async function uploadFile(w: Who, file: string, name: string, version: string): Promise<string> {
  const bytes = await readFile(file);
  const created = await createUpload(w, bytes.length, { filename: path.basename(file), name, version });
  expect(created.status, await created.clone().text()).toBe(201);
  const id = created.headers.get('location')!.split('/').pop()!;
  const res = await call('PATCH', { id, auth: { cookie: w.cookie }, headers: { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, body: bytes });
  expect(res.status).toBe(204);
  return id;
}

const audit = (action: string) =>
  engine.db.all<{ actor: string; target: string | null; result: string; error_code: string | null }>(
    sql`SELECT actor, target, result, error_code FROM audit_events WHERE action = ${action} ORDER BY id`,
  );

describe('upload endpoint guard', () => {
  it('refuses anonymous (401) and viewer (403) callers, audited', async () => {
    const m = { filename: 'a.torshpkg', name: 'guarded', version: '1.0.0' };
    const anon = await call('POST', { headers: { 'Upload-Length': '10', 'Upload-Metadata': meta(m) } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('tus-resumable')).toBe('1.0.0');
    expect((await anon.json()).error.code).toBe('UNAUTHENTICATED');
    const viewer = await createUpload(who.vic, 10, m);
    expect(viewer.status).toBe(403);
    expect(audit('upload.create').slice(-2)).toEqual([
      { actor: 'anonymous', target: 'guarded@1.0.0', result: 'denied', error_code: 'UNAUTHENTICATED' },
      { actor: 'token:vic/t', target: 'guarded@1.0.0', result: 'denied', error_code: 'FORBIDDEN' },
    ]);
    expect(await readdir(uploadsDir(engine)).catch(() => [])).toEqual([]);
  });

  it('validates Upload-Metadata and Upload-Length, and enforces the upload limit (413)', async () => {
    const bad = await createUpload(who.alice, 10, { filename: 'a', name: 'Bad Name', version: '1.0.0' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/name/);
    const noVersion = await createUpload(who.alice, 10, { filename: 'a', name: 'ok' });
    expect(noVersion.status).toBe(400);
    const noLength = await call('POST', { auth: bearer(who.alice), headers: { 'Upload-Metadata': meta({ filename: 'a', name: 'ok', version: '1.0.0' }) } });
    expect(noLength.status).toBe(400);
    const deferred = await call('POST', {
      auth: bearer(who.alice),
      headers: { 'Upload-Defer-Length': '1', 'Upload-Metadata': meta({ filename: 'a', name: 'ok', version: '1.0.0' }) },
    });
    expect(deferred.status).toBe(400);
    const big = await createUpload(who.alice, LIMIT + 1, { filename: 'a', name: 'ok', version: '1.0.0' });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('BODY_TOO_LARGE');
  });

  it("records the uploader server-side; another user's upload does not exist for them (404)", async () => {
    const created = await call('POST', {
      auth: { cookie: who.alice.cookie },
      headers: { 'Upload-Length': '10', 'Upload-Metadata': meta({ filename: 'a', name: 'mine', version: '1.0.0', userId: '999' }) },
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('location')!.split('/').pop()!;
    const info = JSON.parse(await readFile(path.join(uploadsDir(engine), `${id}.json`), 'utf8'));
    expect(info.metadata).toEqual({ filename: 'a', name: 'mine', version: '1.0.0', userId: String(who.alice.actor.userId) });

    const patchHeaders = { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' };
    for (const res of [
      await call('HEAD', { id, auth: bearer(who.bob) }),
      await call('PATCH', { id, auth: bearer(who.bob), headers: patchHeaders, body: Buffer.from('12345') }),
      await call('DELETE', { id, auth: bearer(who.bob) }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await call('HEAD', { id })).status).toBe(401);
    expect((await call('HEAD', { id, auth: bearer(who.vic) })).status).toBe(403);
    expect((await call('HEAD', { id: 'nope', auth: bearer(who.alice) })).status).toBe(404);

    const own = await call('PATCH', { id, auth: bearer(who.alice), headers: patchHeaders, body: Buffer.from('12345') });
    expect(own.status).toBe(204);
    expect(own.headers.get('upload-offset')).toBe('5');
    const head = await call('HEAD', { id, auth: { cookie: who.alice.cookie } });
    expect(head.headers.get('upload-offset')).toBe('5');
    expect(audit('upload.append').map((r) => [r.actor, r.result, r.error_code])).toEqual([
      ['token:bob/t', 'error', 'UPLOAD_NOT_FOUND'],
      ['token:alice/t', 'ok', null],
    ]);

    expect((await call('DELETE', { id, auth: bearer(who.alice) })).status).toBe(204);
    expect(existsSync(path.join(uploadsDir(engine), id))).toBe(false);
    expect(audit('upload.delete').map((r) => [r.actor, r.target, r.result])).toEqual([
      ['token:bob/t', 'mine@1.0.0', 'error'],
      ['token:alice/t', 'mine@1.0.0', 'ok'],
    ]);
  });

  it('refuses to start an upload for a version that is already published (409)', async () => {
    const file = await writeSamplePackage({ name: 'taken', version: '1.0.0' });
    await publishUpload(engine, who.alice.actor, { uploadId: await uploadFile(who.alice, file, 'taken', '1.0.0'), name: 'taken', version: '1.0.0' });
    const again = await createUpload(who.alice, 10, { filename: 'a', name: 'taken', version: '1.0.0' });
    expect(again.status).toBe(409);
  });
});

describe('publishUpload', () => {
  it('publishes a finished upload, moving its file into the blob store; nothing stays in uploads/', async () => {
    const file = await writeSamplePackage({ name: 'fin', version: '2.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(300_000, 3) }] });
    const id = await uploadFile(who.alice, file, 'fin', '2.0.0');
    // Only the uploader may publish it, and only for the coordinates it was started for.
    await expect(publishUpload(engine, who.bob.actor, { uploadId: id, name: 'fin', version: '2.0.0' })).rejects.toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
    await expect(publishUpload(engine, who.alice.actor, { uploadId: id, name: 'fin', version: '2.0.1' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const result = await publishUpload(engine, who.alice.actor, { uploadId: id, name: 'fin', version: '2.0.0' });
    expect(result).toMatchObject({ name: 'fin', version: '2.0.0', size: (await readFile(file)).length });
    expect(getVersion(engine, 'fin', '2.0.0').digest).toBe(result.digest);
    expect(await readdir(uploadsDir(engine))).toEqual([]);
    await expect(publishUpload(engine, who.alice.actor, { uploadId: id, name: 'fin', version: '2.0.0' })).rejects.toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
  });

  it('refuses an unfinished upload and keeps it for resuming', async () => {
    const created = await createUpload(who.alice, 100, { filename: 'a', name: 'half', version: '1.0.0' });
    const id = created.headers.get('location')!.split('/').pop()!;
    await expect(publishUpload(engine, who.alice.actor, { uploadId: id, name: 'half', version: '1.0.0' })).rejects.toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect(existsSync(path.join(uploadsDir(engine), id))).toBe(true);
    await call('DELETE', { id, auth: bearer(who.alice) });
  });

  it('a rejected package leaves no version, no blob and nothing in uploads/', async () => {
    const file = path.join(path.dirname(await writeSamplePackage({ name: 'bad', version: '1.0.0' })), 'bad-sum.torshpkg');
    await writePackage(file, {
      manifest: {
        name: 'bad',
        version: '1.0.0',
        format_version: '1.0.0',
        created_at: '2026-01-01T00:00:00Z',
        resources: [{ name: 'model.bin', resource_type: 'Model', size: 3, sha256: 'a'.repeat(64) }],
      },
      files: [{ path: 'models/model.bin', source: Buffer.from('abc') }],
    });
    const blobsBefore = await listBlobFiles(engine);
    const id = await uploadFile(who.alice, file, 'bad', '1.0.0');
    await expect(publishUpload(engine, who.alice.actor, { uploadId: id, name: 'bad', version: '1.0.0' })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await readdir(uploadsDir(engine))).toEqual([]);
    expect(await listBlobFiles(engine)).toEqual(blobsBefore);
    expect(() => getVersion(engine, 'bad', '1.0.0')).toThrow();
  });
});
