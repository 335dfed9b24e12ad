import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { getPolicy } from '@/lib/engine/security/policy';
import { SESSION_COOKIE } from './session-cookie';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';
import { rawRequest } from './test-support/raw-request';

let t: ApiTestServer;
let viewer: { token: string; session: string };
let admin: { token: string; session: string };

const publish = (name: string, version: string) => publishSample(t.engine, name, version);

beforeAll(async () => {
  t = await startApiTestServer();
  viewer = await t.user('viewer-1', ['viewer']);
  admin = await t.user('admin-1', ['admin']);
  await publish('pub', '1.0.0');
  await publish('secret', '1.0.0');
  setVisibility(t.engine, { name: 'secret', visibility: 'private' });
  await publish('members', '1.0.0');
  setVisibility(t.engine, { name: 'members', visibility: 'restricted' });
});

afterAll(async () => {
  await t?.close();
});

describe('the origin router', () => {
  it('answers a known route from the one table', async () => {
    const res = await fetch(`${t.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', role: 'origin' });
  });

  it('answers an unknown API path with a JSON 404, never a page', async () => {
    const res = await fetch(`${t.url}/api/v1/nothing/here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await fetch(`${t.url}/api/v1/health`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect((await res.json()).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers HEAD with the GET handler and no body', async () => {
    const res = await fetch(`${t.url}/api/v1/packages/pub`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses malformed percent-encoding with a clear 400', async () => {
    const res = await rawRequest(t.port, { method: 'GET', path: '/api/v1/packages/%E0%A4%A', headers: {}, body: Buffer.alloc(0) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('INVALID_INPUT');
  });
});

describe('shared caches never store non-public data', () => {
  it('public package downloads stay public and immutable', async () => {
    const res = await fetch(`${t.url}/api/v1/packages/pub/1.0.0/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await res.arrayBuffer();
  });

  for (const name of ['secret', 'members']) {
    it(`${name} package downloads are private and vary by credentials`, async () => {
      const res = await fetch(`${t.url}/api/v1/packages/${name}/1.0.0/download`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(res.headers.get('vary')).toContain('Authorization');
      await res.arrayBuffer();
    });
  }

  it('JSON answers are private unless a handler says otherwise', async () => {
    const res = await fetch(`${t.url}/api/v1/packages/secret/1.0.0`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(res.headers.get('vary')).toBe('Authorization, Cookie');
  });
});

describe('bounded request bodies', () => {
  it('refuses a JSON body whose Content-Length is over the limit before reading it (413)', async () => {
    const res = await rawRequest(t.port, {
      method: 'POST',
      path: '/api/v1/auth/tokens',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('BODY_TOO_LARGE');
  });

  it('refuses a chunked JSON body once it passes the limit (413)', async () => {
    const big = Buffer.from(JSON.stringify({ username: 'x', password: 'y'.repeat(1024 * 1024 + 10), name: 'n' }));
    const res = await fetch(`${t.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(big);
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('BODY_TOO_LARGE');
  });

  it('still accepts a JSON body under the limit (the allowed case)', async () => {
    const res = await fetch(`${t.url}/api/v1/policies`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ sign_browser_publishes: false }),
    });
    expect(res.status).toBe(200);
    expect(getPolicy(t.engine).sign_browser_publishes).toBe(false);
  });

  it('authorises a package-scoped route before reading its body', async () => {
    const res = await rawRequest(t.port, {
      method: 'PATCH',
      path: '/api/v1/packages/pub/access',
      headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json', 'content-length': '1000' },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN');
  });
});

describe('cookie-authenticated mutations must be same-origin', () => {
  const cookie = () => `${SESSION_COOKIE}=${admin.session}`;

  it('refuses a cross-site form post (no JSON type, no same-origin marker)', async () => {
    const res = await fetch(`${t.url}/api/v1/policies`, {
      method: 'PUT',
      headers: { cookie: cookie(), 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ require_signature: true }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('CROSS_SITE_REQUEST');
    expect(getPolicy(t.engine).require_signature).toBe(false);
  });

  it('accepts the same change sent as JSON from the page', async () => {
    const res = await fetch(`${t.url}/api/v1/policies`, {
      method: 'PUT',
      headers: { cookie: cookie(), 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ require_signature: true }),
    });
    expect(res.status).toBe(200);
    expect(getPolicy(t.engine).require_signature).toBe(true);
    await fetch(`${t.url}/api/v1/policies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ require_signature: false }),
    });
  });

  it('bearer tokens need no same-origin marker', async () => {
    const res = await fetch(`${t.url}/api/v1/policies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ sign_browser_publishes: true }),
    });
    expect(res.status).toBe(200);
  });
});
