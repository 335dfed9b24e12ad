import { expect, test } from '../support/fixtures';
import { execDb, publish, queryDb, samplePackage, uniqueName, userWithToken } from '../support/registry';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test.describe('authentication', () => {
  test('anonymous publish is 401; reads of public packages stay open', async ({ api, request }) => {
    const name = uniqueName('anon');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    const res = await publish(request, name, '1.0.0', pkg.bytes);
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
    expect((await request.get(`/api/v1/packages/${name}/1.0.0/download`)).status()).toBe(200);
    const audit = queryDb<{ result: string; actor: string }>('SELECT result, actor FROM audit_events WHERE target = ? ORDER BY id', `${name}@1.0.0`);
    expect(audit[0]).toEqual({ result: 'denied', actor: 'anonymous' });
  });

  test('POST /api/v1/auth/tokens: wrong password and unknown user get the same generic 401', async ({ request }) => {
    const wrong = await request.post('/api/v1/auth/tokens', { data: { username: 'admin', password: 'not-the-password', name: 'x' } });
    const unknown = await request.post('/api/v1/auth/tokens', { data: { username: uniqueName('ghost'), password: 'whatever', name: 'x' } });
    expect(wrong.status()).toBe(401);
    expect(unknown.status()).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect((await wrong.json()).error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Invalid username or password.' });
    // Nothing secret is written to the audit log.
    const rows = queryDb<{ target: string }>("SELECT target FROM audit_events WHERE action = 'token.create'");
    expect(rows.map((r) => r.target).join(' ')).not.toContain('not-the-password');
  });

  test('malformed, unknown, revoked and expired bearer tokens get 401, even for public reads', async ({ api, request }) => {
    const name = uniqueName('tok');
    const { token } = await userWithToken(api, request, { username: name, roles: ['viewer'] });
    expect((await request.get('/api/v1/me', { headers: bearer(token) })).status()).toBe(200);
    const cases: [string, string][] = [
      ['Bearer', 'the Authorization header must be "Bearer <token>"'],
      ['Bearer not-a-token', 'the bearer token is malformed'],
      [`Bearer ${token.slice(0, -2)}xx`, 'the bearer token is not valid'],
    ];
    for (const [header, message] of cases) {
      const res = await request.get('/api/v1/search', { headers: { authorization: header } });
      expect(res.status(), header).toBe(401);
      expect((await res.json()).error).toEqual({ code: 'UNAUTHENTICATED', message });
    }
    execDb("UPDATE api_tokens SET expires_at = 1 WHERE public_id = ?", token.split('_')[1]);
    expect((await (await request.get('/api/v1/search', { headers: bearer(token) })).json()).error.message).toBe('the bearer token has expired');
    execDb("UPDATE api_tokens SET expires_at = NULL, revoked_at = 1 WHERE public_id = ?", token.split('_')[1]);
    expect((await (await request.get('/api/v1/search', { headers: bearer(token) })).json()).error.message).toBe('the bearer token has been revoked');
  });

  test('a scoped token cannot exceed its scopes; last use is recorded', async ({ api, request }) => {
    const name = uniqueName('scoped');
    const { token } = await userWithToken(api, request, { username: name, roles: ['contributor'], scopes: ['ReadMetadata', 'Download'] });
    const pkg = await samplePackage({ name, version: '1.0.0' });
    const res = await publish(request, name, '1.0.0', pkg.bytes, bearer(token));
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    const used = queryDb<{ last_used_at: number | null }>('SELECT last_used_at FROM api_tokens WHERE public_id = ?', token.split('_')[1]);
    expect(used[0].last_used_at).toBeGreaterThan(Date.now() - 60_000);
    // A token can only be created with permissions its user holds.
    const greedy = await request.post('/api/v1/auth/tokens', { data: { username: name, password: `pw-${name}-long`, name: 'greedy', scopes: ['ManageUsers'] } });
    expect(greedy.status()).toBe(403);
    const bogus = await request.post('/api/v1/auth/tokens', { data: { username: name, password: `pw-${name}-long`, name: 'bogus', scopes: ['Teleport'] } });
    expect(bogus.status()).toBe(400);
    expect((await bogus.json()).error.code).toBe('UNKNOWN_PERMISSION');
  });

  test('GET /api/v1/audit needs ViewAudit', async ({ api, request }) => {
    const name = uniqueName('auditor');
    const { token } = await userWithToken(api, request, { username: name, roles: ['maintainer'] });
    expect((await request.get('/api/v1/audit')).status()).toBe(401);
    expect((await request.get('/api/v1/audit', { headers: bearer(token) })).status()).toBe(403);
    const res = await api.get(`/api/v1/audit?actor=${name}&per_page=5`);
    expect(res.status()).toBe(200);
    const csv = await api.get('/api/v1/audit?format=csv&action=auth');
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe('id,time,actor,action,target,result,error_code,client_addr');
  });
});

test.describe('private packages', () => {
  test('404 for outsiders on metadata, download and search; visible to owners and grantees', async ({ api, request }) => {
    const ownerName = uniqueName('owner');
    const outsiderName = uniqueName('outsider');
    const granteeName = uniqueName('grantee');
    const owner = await userWithToken(api, request, { username: ownerName, roles: ['contributor'] });
    const outsider = await userWithToken(api, request, { username: outsiderName, roles: ['maintainer'] });
    const grantee = await userWithToken(api, request, { username: granteeName, roles: [] });

    const name = uniqueName('hidden');
    const pkg = await samplePackage({ name, version: '1.0.0', description: 'top secret weights' });
    expect((await publish(request, name, '1.0.0', pkg.bytes, bearer(owner.token))).status()).toBe(201);
    const vis = await request.patch(`/api/v1/packages/${name}/access`, { data: { visibility: 'private' }, headers: bearer(owner.token) });
    expect(vis.status()).toBe(200);
    expect((await vis.json()).owners).toEqual([ownerName]);

    const urls = [`/api/v1/packages/${name}`, `/api/v1/packages/${name}/1.0.0`, `/api/v1/packages/${name}/1.0.0/download`];
    for (const headers of [{}, bearer(outsider.token), bearer(grantee.token)]) {
      for (const url of urls) {
        const res = await request.get(url, { headers });
        expect(res.status(), url).toBe(404);
        expect((await res.json()).error.code).toBe('PACKAGE_NOT_FOUND');
      }
      const search = await (await request.get(`/api/v1/search?q=${name}`, { headers })).json();
      expect(search.total).toBe(0);
      // Mutations are 404 too: the package does not exist for them.
      expect((await request.post(`/api/v1/packages/${name}/1.0.0/yank`, { headers })).status()).toBe(404);
    }
    expect((await request.get(urls[2], { headers: bearer(owner.token) })).status()).toBe(200);
    expect((await (await request.get(`/api/v1/search?q=${name}`, { headers: bearer(owner.token) })).json()).total).toBe(1);
    const grant = await request.put(`/api/v1/packages/${name}/grants/${granteeName}`, { data: { permissions: ['Download'] }, headers: bearer(owner.token) });
    expect(grant.status()).toBe(200);
    expect((await request.get(urls[2], { headers: bearer(grantee.token) })).status()).toBe(200);
    expect((await (await request.get(`/api/v1/search?q=${name}`, { headers: bearer(grantee.token) })).json()).total).toBe(1);
    // The admin sees everything.
    expect((await api.get(urls[0])).status()).toBe(200);
  });
});

test('security headers are sent with pages and API responses', async ({ request }) => {
  for (const url of ['/', '/api/v1/health']) {
    const h = (await request.get(url)).headers();
    expect(h['content-security-policy'], url).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
    expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  }
});
