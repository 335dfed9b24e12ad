import http from 'node:http';
import { adminToken, expect, test } from '../support/fixtures';
import { E2E_MAX_UPLOAD_BYTES } from '../../playwright.config';
import { baseURL, blobFiles, publish, queryDb, samplePackage, uniqueName } from '../support/registry';

test.describe('PUT /api/v1/packages/{name}/{version}', () => {
  test('publishes a package: 201 with digest and size, then it is readable', async ({ api, request }) => {
    const name = uniqueName('pub');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    const res = await publish(api, name, '1.0.0', pkg.bytes, { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status()).toBe(201);
    expect(await res.json()).toEqual({ name, version: '1.0.0', digest: `sha256:${pkg.digest}`, size: pkg.bytes.length });
    expect(res.headers()['location']).toBe(`/api/v1/packages/${name}/1.0.0`);
    expect(blobFiles().some((f) => f.endsWith(pkg.digest))).toBe(true);
    const audit = queryDb<{ result: string; actor: string; client_addr: string }>(
      'SELECT result, actor, client_addr FROM audit_events WHERE action = ? AND target = ?',
      'version.publish',
      `${name}@1.0.0`,
    );
    // The audited address is the socket's, not a client-supplied X-Forwarded-For.
    expect(audit).toEqual([{ result: 'ok', actor: expect.stringMatching(/^token:admin\//), client_addr: expect.stringMatching(/127\.0\.0\.1|::1/) }]);
  });

  test('409 for a version that exists; the original stays', async ({ api, request }) => {
    const name = uniqueName('dup');
    const first = await samplePackage({ name, version: '1.0.0' });
    expect((await publish(api, name, '1.0.0', first.bytes)).status()).toBe(201);
    const second = await samplePackage({ name, version: '1.0.0', description: 'other bytes' });
    const res = await publish(api, name, '1.0.0', second.bytes);
    expect(res.status()).toBe(409);
    expect((await res.json()).error).toEqual({ code: 'PACKAGE_VERSION_EXISTS', message: `${name}@1.0.0 is already published; versions are immutable` });
    const meta = await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json();
    expect(meta.digest).toBe(`sha256:${first.digest}`);
  });

  for (const [what, name, version, code] of [
    ['an invalid name', 'Bad_Name', '1.0.0', 'INVALID_PACKAGE_NAME'],
    ['an invalid version', 'fine-name', '1.0', 'INVALID_VERSION'],
    ['a v-prefixed version', 'fine-name', 'v1.0.0', 'INVALID_VERSION'],
  ] as const) {
    test(`400 for ${what}`, async ({ api, request }) => {
      const before = blobFiles();
      const res = await publish(api, name, version, Buffer.from('whatever'));
      expect(res.status()).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(/name|version/);
      expect(blobFiles()).toEqual(before);
    });
  }

  for (const [what, make, code] of [
    ['not a ZIP', async (name: string) => Buffer.from('definitely not a zip file'), 'PACKAGE_NOT_ZIP'],
    ['a manifest for another name', async () => (await samplePackage({ name: uniqueName('other'), version: '1.0.0' })).bytes, 'MANIFEST_NAME_MISMATCH'],
    ['a manifest for another version', async (name: string) => (await samplePackage({ name, version: '2.0.0' })).bytes, 'MANIFEST_VERSION_MISMATCH'],
  ] as const) {
    test(`422 ${code} for ${what}; nothing is stored`, async ({ api, request }) => {
      const name = uniqueName('bad');
      const before = blobFiles();
      const res = await publish(api, name, '1.0.0', await make(name));
      expect(res.status()).toBe(422);
      expect((await res.json()).error.code).toBe(code);
      expect(blobFiles()).toEqual(before);
      expect((await request.get(`/api/v1/packages/${name}`)).status()).toBe(404);
      const audit = queryDb<{ result: string; error_code: string }>('SELECT result, error_code FROM audit_events WHERE target = ?', `${name}@1.0.0`);
      expect(audit).toEqual([{ result: 'error', error_code: code }]);
    });
  }

  test('413 when Content-Length is over the limit, before the body is read', async ({ request }) => {
    const authorization = `Bearer ${await adminToken(request)}`;
    const name = uniqueName('huge');
    const before = blobFiles();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${baseURL()}/api/v1/packages/${name}/1.0.0`, {
        method: 'PUT',
        headers: { 'content-length': String(E2E_MAX_UPLOAD_BYTES + 1), 'content-type': 'application/octet-stream', authorization },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
    expect(blobFiles()).toEqual(before);
  });

  test('413 when a chunked body grows over the limit; the partial upload is removed', async ({ request }) => {
    const authorization = `Bearer ${await adminToken(request)}`;
    const name = uniqueName('chunked');
    const before = blobFiles();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${baseURL()}/api/v1/packages/${name}/1.0.0`, {
        method: 'PUT',
        headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/octet-stream', authorization },
      });
      let done = false;
      req.on('response', (res) => {
        done = true;
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on('error', (err) => (done ? undefined : reject(err)));
      const chunk = Buffer.alloc(1024 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (!done && sent <= E2E_MAX_UPLOAD_BYTES + chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        if (!done) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    await expect.poll(() => blobFiles()).toEqual(before);
  });

  test('an upload the client abandons midway leaves no version and no blob', async ({ request }) => {
    const authorization = `Bearer ${await adminToken(request)}`;
    const name = uniqueName('abort');
    const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(4 * 1024 * 1024, 1) }] });
    const before = blobFiles();
    await new Promise<void>((resolve) => {
      const req = http.request(`${baseURL()}/api/v1/packages/${name}/1.0.0`, {
        method: 'PUT',
        headers: { 'content-length': String(pkg.bytes.length), 'content-type': 'application/octet-stream', authorization },
      });
      req.on('error', () => resolve());
      req.write(pkg.bytes.subarray(0, pkg.bytes.length >> 1), () => setTimeout(() => req.destroy(), 200));
      req.on('close', () => resolve());
    });
    await expect.poll(() => queryDb('SELECT 1 FROM audit_events WHERE target = ?', `${name}@1.0.0`).length).toBe(1);
    expect(queryDb<{ result: string }>('SELECT result FROM audit_events WHERE target = ?', `${name}@1.0.0`)[0].result).toBe('error');
    expect((await request.get(`/api/v1/packages/${name}/1.0.0`)).status()).toBe(404);
    expect(blobFiles()).toEqual(before);
  });

  test('records a signature by an unregistered key as unknown_key; rejects a malformed one with 400', async ({ api, request }) => {
    const name = uniqueName('sig');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    const bad = await publish(api, name, '1.0.0', pkg.bytes, { 'x-torsh-signature': 'not-base64!' });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_INPUT');
    const sig = Buffer.alloc(64, 9).toString('base64');
    const ok = await publish(api, name, '1.0.0', pkg.bytes, { 'x-torsh-signature': sig, 'x-torsh-key-id': 'ci-key-1' });
    expect(ok.status()).toBe(201);
    const meta = await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json();
    expect(meta.signature).toEqual({ key_id: 'ci-key-1', value: sig, status: 'unknown_key', signer: null, fingerprint: null });
  });
});
