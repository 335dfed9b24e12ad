import { expect, test } from '../support/fixtures';
import { publish, queryDb, samplePackage, sha256, uniqueName } from '../support/registry';

test('GET /api/v1/health', async ({ api, request }) => {
  const res = await request.get('/api/v1/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', role: 'origin', version: expect.stringMatching(/^\d+\.\d+\.\d+/), feed: { head: expect.any(Number) } });
});

test.describe('download', () => {
  const name = uniqueName('dl');
  let bytes: Buffer;
  let digest: string;

  test.beforeAll(async ({ api, request }) => {
    const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(300_000, 3) }] });
    bytes = pkg.bytes;
    digest = pkg.digest;
    expect((await publish(api, name, '1.0.0', bytes)).status()).toBe(201);
  });

  const url = () => `/api/v1/packages/${name}/1.0.0/download`;
  const events = () =>
    queryDb<{ status: number; bytes_sent: number; is_range: number; completed: number; client_addr: string | null }>(
      `SELECT e.status, e.bytes AS bytes_sent, coalesce(json_extract(e.detail, '$.range'), 0) AS is_range,
         coalesce(json_extract(e.detail, '$.completed'), 1) AS completed, e.client AS client_addr
       FROM metric_events e JOIN packages p ON e.series = 'download' AND (' ' || e.dims || ' ') LIKE '% p:' || p.id || ' %' WHERE p.name = ? ORDER BY e.id`,
      name,
    );

  test('200 with the bytes, validators and caching headers; records an event', async ({ api, request }) => {
    const res = await request.get(url(), { headers: { 'user-agent': 'torsh-test/1.0' } });
    expect(res.status()).toBe(200);
    const body = await res.body();
    expect(sha256(body)).toBe(digest);
    const h = res.headers();
    expect(h['etag']).toBe(`"sha256:${digest}"`);
    expect(h['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(h['accept-ranges']).toBe('bytes');
    expect(h['content-length']).toBe(String(bytes.length));
    expect(h['content-disposition']).toBe(`attachment; filename="${name}-1.0.0.torshpkg"`);
    await expect.poll(() => events().length).toBe(1);
    expect(events()[0]).toMatchObject({ status: 200, bytes_sent: bytes.length, is_range: 0, completed: 1 });
    expect(events()[0].client_addr).toBeTruthy();
  });

  test('206 for a byte range, a suffix range and an open-ended range', async ({ api, request }) => {
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=-50', bytes.length - 50, bytes.length - 1],
      [`bytes=${bytes.length - 10}-`, bytes.length - 10, bytes.length - 1],
      [`bytes=100-${bytes.length + 1000}`, 100, bytes.length - 1],
    ] as const) {
      const res = await request.get(url(), { headers: { range } });
      expect(res.status(), range).toBe(206);
      expect(res.headers()['content-range']).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect((await res.body()).equals(bytes.subarray(start, end + 1))).toBe(true);
    }
    await expect.poll(() => events().filter((e) => e.status === 206).length).toBe(4);
  });

  test('416 for a range past the end', async ({ api, request }) => {
    const res = await request.get(url(), { headers: { range: `bytes=${bytes.length}-` } });
    expect(res.status()).toBe(416);
    expect(res.headers()['content-range']).toBe(`bytes */${bytes.length}`);
    expect((await res.json()).error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  test('304 for If-None-Match with the ETag; If-Range with another validator sends everything', async ({ api, request }) => {
    const res = await request.get(url(), { headers: { 'if-none-match': `"sha256:${digest}"` } });
    expect(res.status()).toBe(304);
    expect((await res.body()).length).toBe(0);
    const stale = await request.get(url(), { headers: { range: 'bytes=0-9', 'if-range': '"sha256:0000"' } });
    expect(stale.status()).toBe(200);
    expect(sha256(await stale.body())).toBe(digest);
  });

  test('HEAD answers the headers without a body', async ({ api, request }) => {
    const res = await request.head(url());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-length']).toBe(String(bytes.length));
    expect(res.headers()['etag']).toBe(`"sha256:${digest}"`);
  });

  test('404 for unknown package, version or channel, 400 for an invalid version; latest resolves', async ({ api, request }) => {
    const unknownPkg = await request.get(`/api/v1/packages/${uniqueName('nope')}/1.0.0/download`);
    expect(unknownPkg.status()).toBe(404);
    expect((await unknownPkg.json()).error.code).toBe('PACKAGE_NOT_FOUND');
    const unknownVer = await request.get(`/api/v1/packages/${name}/9.9.9/download`);
    expect(unknownVer.status()).toBe(404);
    expect((await unknownVer.json()).error.code).toBe('VERSION_NOT_FOUND');
    const latest = await request.head(`/api/v1/packages/${name}/latest/download`);
    expect(latest.status()).toBe(200);
    expect(latest.headers()['x-torsh-version']).toBeTruthy();
    expect((await request.get(`/api/v1/packages/${name}/nightly/download`)).status()).toBe(404);
    expect((await request.get(`/api/v1/packages/${name}/Latest/download`)).status()).toBe(400);
  });
});

test.describe('metadata and yank', () => {
  test('GET package lists versions in semver order with latest and tags; GET version has manifest and resources', async ({ api, request }) => {
    const name = uniqueName('meta');
    for (const v of ['1.2.0', '1.10.0', '0.1.0']) {
      const pkg = await samplePackage({ name, version: v, tags: ['vision', 'cnn'], description: `model ${v}` });
      expect((await publish(api, name, v, pkg.bytes)).status()).toBe(201);
    }
    const res = await request.get(`/api/v1/packages/${name}`);
    expect(res.status()).toBe(200);
    const pkg = await res.json();
    expect(pkg).toMatchObject({ name, latest: '1.10.0', tags: ['vision', 'cnn'], description: 'model 1.10.0', downloads: 0 });
    expect(pkg.versions.map((v: { version: string }) => v.version)).toEqual(['1.10.0', '1.2.0', '0.1.0']);

    const ver = await (await request.get(`/api/v1/packages/${name}/1.2.0`)).json();
    expect(ver).toMatchObject({ name, version: '1.2.0', format_version: '1.0.0', yanked: false, signature: null, download_url: `/api/v1/packages/${name}/1.2.0/download` });
    expect(ver.manifest).toMatchObject({ name, version: '1.2.0', description: 'model 1.2.0' });
    expect(ver.resources).toEqual([
      expect.objectContaining({ path: 'config/config.json', type: 'Config', compression: 'deflate' }),
      expect.objectContaining({ path: 'models/model.bin', type: 'Model', sha256: sha256(Buffer.from(`weights of ${name}@1.2.0`)) }),
    ]);
  });

  test('404 and 400 on metadata routes', async ({ api, request }) => {
    const unknown = await request.get(`/api/v1/packages/${uniqueName('ghost')}`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'PACKAGE_NOT_FOUND', message: expect.stringContaining('does not exist') } });
    expect((await request.get('/api/v1/packages/NOT_VALID')).status()).toBe(400);
  });

  test('POST yank with a reason, DELETE unyank; latest follows', async ({ api, request }) => {
    const name = uniqueName('yank');
    for (const v of ['1.0.0', '1.1.0']) {
      expect((await publish(api, name, v, (await samplePackage({ name, version: v })).bytes)).status()).toBe(201);
    }
    const yank = await api.post(`/api/v1/packages/${name}/1.1.0/yank`, { data: { reason: 'broken weights' } });
    expect(yank.status()).toBe(200);
    expect(await yank.json()).toMatchObject({ version: '1.1.0', yanked: true, yank_reason: 'broken weights' });
    expect((await (await request.get(`/api/v1/packages/${name}`)).json()).latest).toBe('1.0.0');
    // Yanked versions still download, flagged.
    const dl = await request.get(`/api/v1/packages/${name}/1.1.0/download`);
    expect(dl.status()).toBe(200);
    expect(dl.headers()['x-torsh-yanked']).toBe('true');

    const unyank = await api.delete(`/api/v1/packages/${name}/1.1.0/yank`);
    expect(unyank.status()).toBe(200);
    expect(await unyank.json()).toMatchObject({ yanked: false, yank_reason: null });
    expect((await (await request.get(`/api/v1/packages/${name}`)).json()).latest).toBe('1.1.0');

    const actions = queryDb<{ action: string; result: string }>('SELECT action, result FROM audit_events WHERE target = ? ORDER BY id', `${name}@1.1.0`);
    expect(actions).toEqual([
      { action: 'version.publish', result: 'ok' },
      { action: 'version.yank', result: 'ok' },
      { action: 'version.unyank', result: 'ok' },
    ]);
  });

  test('yank rejects a non-JSON body (400) and unknown versions (404)', async ({ api, request }) => {
    const name = uniqueName('yank-bad');
    expect((await publish(api, name, '1.0.0', (await samplePackage({ name, version: '1.0.0' })).bytes)).status()).toBe(201);
    const bad = await api.post(`/api/v1/packages/${name}/1.0.0/yank`, { data: 'reason=nope', headers: { 'content-type': 'text/plain' } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.code).toBe('INVALID_INPUT');
    expect((await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json()).yanked).toBe(false);
    const missing = await api.post(`/api/v1/packages/${name}/2.0.0/yank`);
    expect(missing.status()).toBe(404);
  });
});

test.describe('search and stats', () => {
  test('full-text search with pagination', async ({ api, request }) => {
    const tag = uniqueName('zz').replace('-', '');
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const name = uniqueName(`searchable${i}`);
      names.push(name);
      const pkg = await samplePackage({ name, version: '1.0.0', tags: [tag], description: i === 0 ? 'speech recognition model' : 'other' });
      expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
    }
    const res = await request.get(`/api/v1/search?q=${tag}&per_page=2`);
    expect(res.status()).toBe(200);
    const page1 = await res.json();
    expect(page1).toMatchObject({ total: 3, page: 1, per_page: 2 });
    expect(page1.packages).toHaveLength(2);
    expect(page1.packages[0]).toMatchObject({ latest: '1.0.0', tags: [tag], downloads: 0 });
    const page2 = await (await request.get(`/api/v1/search?q=${tag}&per_page=2&page=2`)).json();
    expect(page2.packages).toHaveLength(1);
    expect([...page1.packages, ...page2.packages].map((p: { name: string }) => p.name).sort()).toEqual([...names].sort());

    const speech = await (await request.get(`/api/v1/search?q=${encodeURIComponent(`speech ${tag}`)}`)).json();
    expect(speech.packages.map((p: { name: string }) => p.name)).toEqual([names[0]]);
  });

  test('search rejects bad paging with 400', async ({ api, request }) => {
    for (const qs of ['per_page=1000', 'page=0', 'page=abc']) {
      const res = await request.get(`/api/v1/search?${qs}`);
      expect(res.status(), qs).toBe(400);
      expect((await res.json()).error.code).toBe('INVALID_INPUT');
    }
  });

  test('stats count packages, versions and downloads', async ({ api, request }) => {
    const before = await (await request.get('/api/v1/stats')).json();
    const name = uniqueName('stats');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
    await request.get(`/api/v1/packages/${name}/1.0.0/download`);
    await expect
      .poll(async () => (await (await request.get('/api/v1/stats')).json()).downloads)
      .toBe(before.downloads + 1);
    const after = await (await request.get('/api/v1/stats')).json();
    expect(after.packages).toBe(before.packages + 1);
    expect(after.versions).toBe(before.versions + 1);
    expect(after.total_bytes).toBe(before.total_bytes + pkg.bytes.length);
    expect(after.recent_versions[0]).toMatchObject({ name, version: '1.0.0' });
  });
});
