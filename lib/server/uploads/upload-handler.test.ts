import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishUploadAction } from '@/app/(dashboard)/publish/actions';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { setGrant, setVisibility } from '@/lib/engine/access/manage-package-access';
import { createSession } from '@/lib/engine/access/sessions';
import { createToken } from '@/lib/engine/access/tokens';
import { createUser, getUser } from '@/lib/engine/access/users';
import type { Actor } from '@/lib/engine/actor';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { writePackage } from '@/lib/engine/format/write-package';
import { getVersion, publishVersion } from '@/lib/engine/registry';
import { CLAIM_LEASE_MS, claimUpload } from '@/lib/engine/registry/upload-claims';
import { setPolicy } from '@/lib/engine/security/policy';
import { listBlobFiles, manualClock, tempEngine } from '@/lib/engine/test-support/temp-engine';
import { installEngine } from '../engine';
import { SESSION_COOKIE } from '../session-cookie';
import { captureStderr } from '../test-support/capture-stderr';
import { publishUpload } from './publish-upload';
import { handleUploadNode, uploadRoute } from './upload-handler';
import { uploadFiles, uploadsDir } from './upload-server';

const LIMIT = 1024 * 1024;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const meta = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k} ${b64(v)}`).join(',');

let engine: Awaited<ReturnType<typeof tempEngine>>;
const clock = manualClock();
type Who = { token: string; actor: Actor; cookie: string };
const who: Record<'alice' | 'bob' | 'carol' | 'vic', Who> = {} as never;

beforeAll(async () => {
  engine = await tempEngine({ maxUploadBytes: LIMIT }, { clock: clock.now });
  await bootstrapAccounts(engine, undefined);
  installEngine(engine);
  await mkdir(uploadsDir(engine), { recursive: true });
  for (const [name, role] of [['alice', 'contributor'], ['bob', 'contributor'], ['carol', 'contributor'], ['vic', 'viewer']] as const) {
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

const idOf = (created: Response) => created.headers.get('location')!.split('/').pop()!;
const PATCH_HEADERS = { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' };
const errorCode = async (res: Response) => (await res.json()).error.code;

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
    expect(await readdir(uploadsDir(engine))).toEqual([]);
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

async function publishAs(w: Who, name: string, version: string) {
  const bytes = await readFile(await writeSamplePackage({ name, version }));
  return publishVersion(engine, w.actor, { name, version, source: { kind: 'stream', body: Readable.from([bytes]), contentLength: bytes.length } });
}

describe('Publish is checked on the package the upload is for, at every request', () => {
  it('a viewer with a Publish grant on the package may create, resume, inspect and cancel an upload', async () => {
    await publishAs(who.bob, 'granted', '1.0.0');
    setGrant(engine, { name: 'granted', username: 'vic', permissions: ['Publish'] });
    const created = await createUpload(who.vic, 10, { filename: 'g', name: 'granted', version: '2.0.0' });
    expect(created.status).toBe(201);
    const id = idOf(created);
    expect((await call('PATCH', { id, auth: bearer(who.vic), headers: PATCH_HEADERS, body: Buffer.from('12345') })).status).toBe(204);
    expect((await call('HEAD', { id, auth: bearer(who.vic) })).headers.get('upload-offset')).toBe('5');
    expect((await call('DELETE', { id, auth: bearer(who.vic) })).status).toBe(204);
  });

  it('losing Publish on the package ends the upload: PATCH, HEAD and DELETE are refused', async () => {
    const id = idOf(await createUpload(who.alice, 10, { filename: 'p', name: 'went-private', version: '1.0.0' }));
    await publishAs(who.bob, 'went-private', '0.1.0');
    setVisibility(engine, { name: 'went-private', visibility: 'private' });
    const patched = await call('PATCH', { id, auth: bearer(who.alice), headers: PATCH_HEADERS, body: Buffer.from('12345') });
    expect(patched.status).toBe(404);
    expect(await errorCode(patched)).toBe('PACKAGE_NOT_FOUND');
    expect((await call('HEAD', { id, auth: bearer(who.alice) })).status).toBe(404);
    expect((await call('DELETE', { id, auth: bearer(who.alice) })).status).toBe(404);
    expect(existsSync(uploadFiles(engine, id).data)).toBe(true);
    expect(audit('upload.append').at(-1)).toEqual({ actor: 'token:alice/t', target: 'went-private@1.0.0', result: 'error', error_code: 'PACKAGE_NOT_FOUND' });
  });
});

describe('finalising an upload', () => {
  const finalise = (w: Who, by: 'token' | 'session', input: { uploadId: string; name: string; version: string }) =>
    publishUploadAction.runWith({ headers: new Headers(by === 'token' ? bearer(w) : { cookie: w.cookie }), cookies: null }, input);
  const claims = (id: string) => engine.db.all(sql`SELECT state FROM upload_claims WHERE upload_id = ${id}`);

  it("a token's finalisation is not a browser publish: never registry-signed, refused (upload kept) when signatures are required", async () => {
    const file = await writeSamplePackage({ name: 'ci-model', version: '1.0.0' });
    const id = await uploadFile(who.alice, file, 'ci-model', '1.0.0');
    const input = { uploadId: id, name: 'ci-model', version: '1.0.0' };
    setPolicy(engine, { require_signature: true });
    try {
      expect(await finalise(who.alice, 'token', input)).toMatchObject({ ok: false, error: { code: 'SIGNATURE_REQUIRED' } });
      expect(existsSync(uploadFiles(engine, id).data)).toBe(true);
      expect(claims(id)).toEqual([]);
      // The same upload finalised in the signed-in browser is a browser publish.
      expect(await finalise(who.alice, 'session', input)).toMatchObject({ ok: true });
      expect(getVersion(engine, 'ci-model', '1.0.0').signature).toMatchObject({ status: 'verified', signer: 'registry' });
    } finally {
      setPolicy(engine, { require_signature: false });
    }
    const file2 = await writeSamplePackage({ name: 'ci-model', version: '1.1.0' });
    const id2 = await uploadFile(who.alice, file2, 'ci-model', '1.1.0');
    expect(await finalise(who.alice, 'token', { uploadId: id2, name: 'ci-model', version: '1.1.0' })).toMatchObject({ ok: true });
    expect(getVersion(engine, 'ci-model', '1.1.0').signature).toBeNull();
  });

  it('is published exactly once: of two concurrent finalisations one publishes, the other is refused', async () => {
    const file = await writeSamplePackage({ name: 'twice', version: '1.0.0' });
    const id = await uploadFile(who.alice, file, 'twice', '1.0.0');
    const input = { uploadId: id, name: 'twice', version: '1.0.0' };
    const results = await Promise.allSettled([publishUpload(engine, who.alice.actor, input), publishUpload(engine, who.alice.actor, input)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['UPLOAD_IN_USE', 'UPLOAD_NOT_FOUND']).toContain(loser.reason.code);
    expect(claims(id)).toEqual([{ state: 'published' }]);
    await expect(publishUpload(engine, who.alice.actor, input)).rejects.toMatchObject({ code: 'UPLOAD_NOT_FOUND' });
  });

  it('a claim in progress refuses another finalisation and freezes the upload (409); a crashed one lapses after its lease', async () => {
    const file = await writeSamplePackage({ name: 'claimed', version: '1.0.0' });
    const size = (await readFile(file)).length;
    const id = await uploadFile(who.alice, file, 'claimed', '1.0.0');
    const input = { uploadId: id, name: 'claimed', version: '1.0.0' };
    claimUpload(engine, id, 'user:alice'); // a finalisation that is running (or crashed)
    await expect(publishUpload(engine, who.alice.actor, input)).rejects.toMatchObject({ code: 'UPLOAD_IN_USE' });
    const patched = await call('PATCH', { id, auth: bearer(who.alice), headers: { ...PATCH_HEADERS, 'Upload-Offset': String(size) }, body: Buffer.from('x') });
    expect(patched.status).toBe(409);
    expect(await errorCode(patched)).toBe('UPLOAD_IN_USE');
    expect((await call('DELETE', { id, auth: bearer(who.alice) })).status).toBe(409);
    expect((await call('HEAD', { id, auth: bearer(who.alice) })).status).toBe(200);
    clock.advance(CLAIM_LEASE_MS + 1);
    expect(await publishUpload(engine, who.alice.actor, input)).toMatchObject({ name: 'claimed', version: '1.0.0', size });
  });

  it('a transient failure keeps the upload and releases the claim; a full disk is 507-worthy; a retry publishes', async () => {
    const file = await writeSamplePackage({ name: 'retry', version: '1.0.0' });
    const id = await uploadFile(who.alice, file, 'retry', '1.0.0');
    const input = { uploadId: id, name: 'retry', version: '1.0.0' };
    const files = uploadFiles(engine, id);
    const store = engine.blobs;
    const failing = (code: string) => {
      engine.blobs = {
        ...store,
        stageFile: async () => {
          throw Object.assign(new Error(`${code}: simulated`), { code });
        },
      };
    };
    try {
      failing('ENOSPC');
      expect(await finalise(who.alice, 'session', input)).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_STORAGE', message: expect.stringContaining('storage space') } });
      failing('EIO');
      const stderr = captureStderr();
      try {
        expect(await finalise(who.alice, 'session', input)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      } finally {
        stderr.restore();
      }
    } finally {
      engine.blobs = store;
    }
    expect(existsSync(files.data) && existsSync(files.info)).toBe(true);
    expect(claims(id)).toEqual([]);
    expect(await finalise(who.alice, 'session', input)).toMatchObject({ ok: true });
    expect(existsSync(files.data) || existsSync(files.info)).toBe(false);
  });
});

describe('in-flight upload bytes per user', () => {
  it('are capped by TORSH_MAX_INFLIGHT_UPLOAD_BYTES (413, clear message); parallel creations cannot overshoot; cancelling frees room', async () => {
    process.env.TORSH_MAX_INFLIGHT_UPLOAD_BYTES = '100';
    const m = (version: string) => ({ filename: 'c', name: 'capped', version });
    const ids: [Who, string][] = [];
    try {
      const first = await createUpload(who.carol, 60, m('1.0.0'));
      expect(first.status).toBe(201);
      ids.push([who.carol, idOf(first)]);
      const over = await createUpload(who.carol, 50, m('1.0.1'));
      expect(over.status).toBe(413);
      const { error } = await over.json();
      expect(error.code).toBe('BODY_TOO_LARGE');
      expect(error.message).toContain('already hold 60 bytes');
      expect(error.message).toContain('TORSH_MAX_INFLIGHT_UPLOAD_BYTES');
      // Another user's uploads count for them, not for carol.
      const bobs = await createUpload(who.bob, 90, m('1.0.2'));
      expect(bobs.status).toBe(201);
      ids.push([who.bob, idOf(bobs)]);

      const racing = await Promise.all([createUpload(who.carol, 40, m('1.0.3')), createUpload(who.carol, 40, m('1.0.4'))]);
      expect(racing.map((r) => r.status).sort()).toEqual([201, 413]);
      ids.push([who.carol, idOf(racing.find((r) => r.status === 201)!)]);

      expect((await call('DELETE', { id: ids[0][1], auth: bearer(who.carol) })).status).toBe(204);
      ids.shift();
      const afterCancel = await createUpload(who.carol, 60, m('1.0.5'));
      expect(afterCancel.status).toBe(201);
      ids.push([who.carol, idOf(afterCancel)]);
    } finally {
      delete process.env.TORSH_MAX_INFLIGHT_UPLOAD_BYTES;
      for (const [w, id] of ids) await call('DELETE', { id, auth: bearer(w) });
    }
  });

  it('default to 64 GiB; a bad value is refused', async () => {
    const { maxInflightUploadBytes } = await import('./inflight-uploads');
    expect(maxInflightUploadBytes({})).toBe(64 * 1024 ** 3);
    expect(maxInflightUploadBytes({ TORSH_MAX_INFLIGHT_UPLOAD_BYTES: '1000' })).toBe(1000);
    expect(() => maxInflightUploadBytes({ TORSH_MAX_INFLIGHT_UPLOAD_BYTES: '0' })).toThrow(/TORSH_MAX_INFLIGHT_UPLOAD_BYTES/);
    expect(() => maxInflightUploadBytes({ TORSH_MAX_INFLIGHT_UPLOAD_BYTES: 'lots' })).toThrow(/TORSH_MAX_INFLIGHT_UPLOAD_BYTES/);
  });
});

describe('the origin fast path (node request and response)', () => {
  it('logs a client that goes away mid-chunk as one structured line', async () => {
    const id = idOf(await createUpload(who.alice, 1000, { filename: 'l', name: 'logged', version: '1.0.0' }));
    const stderr = captureStderr();
    let handled: Promise<void> = Promise.resolve();
    const server = http.createServer((req, res) => {
      handled = handleUploadNode(req, res, id);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'PATCH',
        path: `/api/v1/uploads/${id}`,
        headers: { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${who.alice.token}`, ...PATCH_HEADERS, 'Content-Length': '1000' },
      });
      req.on('error', () => {}); // we are the client that hangs up
      const arrived = once(server, 'request');
      req.write(Buffer.alloc(100, 1));
      await arrived;
      req.destroy();
      const line = JSON.parse(await stderr.next((l) => l.includes(id)));
      expect(line).toMatchObject({ level: 'warn', msg: 'upload request stream failed', method: 'PATCH', upload: id, err: { code: 'ECONNRESET' } });
      await handled;
      expect(audit('upload.append').at(-1)).toMatchObject({ target: 'logged@1.0.0', result: 'error' });
    } finally {
      stderr.restore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
