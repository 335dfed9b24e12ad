import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';
import { NGINX_TEMPLATE, startNginx, type Nginx } from './test-support/nginx';

// docs/DEPLOY.md's nginx configuration (docs/nginx/torsh-cache.conf, read as is) run by Debian's
// nginx in front of a real origin: what a third-party cache keeps is decided by the origin's
// Cache-Control alone.

let origin: ApiTestServer;
let nginx: Nginx;
let token: string;
const digests: Record<string, string> = {};
/** Download requests that reached the origin, by path. */
const originHits = new Map<string, number>();

beforeAll(async () => {
  origin = await startApiTestServer();
  origin.server.prependListener('request', (req) => {
    const p = (req.url ?? '').split('?')[0];
    if (p.endsWith('/download')) originHits.set(p, (originHits.get(p) ?? 0) + 1);
  });
  for (const name of ['open-model', 'busy-model', 'secret-model']) {
    digests[name] = (await publishSample(origin.engine, name, '1.0.0')).digest;
  }
  setVisibility(origin.engine, { name: 'secret-model', visibility: 'private' });
  token = (await origin.user('nginx-admin', ['admin'])).token;
  nginx = await startNginx(`127.0.0.1:${origin.port}`);
}, 60_000);

afterAll(async () => {
  await nginx?.stop();
  await origin?.close();
});

const path = (name: string, version = '1.0.0') => `/api/v1/packages/${name}/${version}/download`;

async function get(p: string, auth?: string) {
  const res = await fetch(`${nginx.url}${p}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, cache: res.headers.get('x-cache-status'), cacheControl: res.headers.get('cache-control'), body, sha: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

describe('nginx proxy_cache in front of the origin (docs/nginx/torsh-cache.conf)', () => {
  it('a public package: MISS, then HIT with the same bytes, without a second origin fetch; also for a request with a token', async () => {
    const first = await get(path('open-model'));
    expect([first.status, first.cache, first.cacheControl]).toEqual([200, 'MISS', 'public, max-age=31536000, immutable']);
    expect(first.sha).toBe(digests['open-model']);
    const second = await get(path('open-model'));
    expect([second.status, second.cache]).toEqual([200, 'HIT']);
    expect(second.body.equals(first.body)).toBe(true);
    // RFC 9111: a response marked public may be served from a shared cache to a request with Authorization.
    const withToken = await get(path('open-model'), token);
    expect([withToken.status, withToken.cache, withToken.sha]).toEqual([200, 'HIT', digests['open-model']]);
    expect(originHits.get(path('open-model'))).toBe(1);
  });

  it('a private package is never a HIT: every request with a token reaches the origin; without one it is refused', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await get(path('secret-model'), token);
      expect([r.status, r.cacheControl, r.sha]).toEqual([200, 'private, no-cache', digests['secret-model']]);
      expect(r.cache).not.toBe('HIT');
    }
    expect(originHits.get(path('secret-model'))).toBe(3);
    const anonymous = await get(path('secret-model'));
    expect(anonymous.status).toBe(404);
    expect(anonymous.cache).not.toBe('HIT');
    expect(anonymous.body.includes(Buffer.from('PK'))).toBe(false);
  });

  it('latest (a name that moves) is revalidated, never served from the cache', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await get(path('open-model', 'latest'));
      expect([r.status, r.cacheControl, r.sha]).toEqual([200, 'public, no-cache', digests['open-model']]);
      expect(r.cache).not.toBe('HIT');
    }
  });

  it('concurrent misses for one package make one origin fetch (proxy_cache_lock)', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => get(path('busy-model'))));
    for (const r of all) expect([r.status, r.sha]).toEqual([200, digests['busy-model']]);
    expect(originHits.get(path('busy-model'))).toBe(1);
    expect((await get(path('busy-model'))).cache).toBe('HIT');
  });

  it('other API paths pass through uncached, Authorization included', async () => {
    const res = await fetch(`${nginx.url}/api/v1/packages/secret-model`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache-status')).toBeNull();
    expect((await fetch(`${nginx.url}/api/v1/packages/secret-model`)).status).toBe(404);
  });

  it('docs/DEPLOY.md shows this very file (without its comments)', () => {
    const lines = (text: string) => text.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    const deploy = readFileSync(nodePath.join(__dirname, '..', '..', 'docs', 'DEPLOY.md'), 'utf8');
    const block = /```nginx\n([\s\S]*?)```/.exec(deploy)?.[1] ?? '';
    expect(lines(block)).toEqual(lines(readFileSync(NGINX_TEMPLATE, 'utf8')));
  });
});
