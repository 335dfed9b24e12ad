/**
 * The edge role in-process in front of a real origin (the API test server over a temp engine):
 * misses stream from the origin into the cache, hits come from disk, one origin fetch for many
 * concurrent misses, LRU eviction, Range, purge, private packages never cached, stats, restart.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import nodeHttp from 'node:http';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { startRole } from '../test-support/role-process';
import { startEdgeServer } from './edge-server';
import type { RunningRole } from './role-types';

let origin: ApiTestServer;
let admin: { token: string };
/** Requests the origin received per download path, with the Range header each carried. */
const originHits = new Map<string, (string | undefined)[]>();
const dirs: string[] = [];
const edges: RunningRole[] = [];
const PURGE = 'purge-secret-1';

beforeAll(async () => {
  origin = await startApiTestServer();
  origin.server.prependListener('request', (req: http.IncomingMessage) => {
    const p = (req.url ?? '').split('?')[0];
    if (p.endsWith('/download')) originHits.set(p, [...(originHits.get(p) ?? []), req.headers.range]);
  });
  admin = await origin.user('root', ['admin']);
});
afterAll(async () => {
  for (const e of edges) await e.close();
  await origin?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function edge(cacheSizeBytes = 64 << 20, dataDir?: string, purgeToken: string | null = PURGE) {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'edge-')));
  dirs.push(dir);
  const e = await startEdgeServer({ origin: origin.url, dataDir: dir, cacheSizeBytes, port: 0, host: '127.0.0.1', purgeToken: purgeToken ?? undefined });
  edges.push(e);
  return Object.assign(e, { dir });
}

/** Publish a package with an incompressible model file of `bytes` bytes; returns its download path and size. */
async function pkg(name: string, version = '1.0.0', bytes = 300_000) {
  const r = await publishSample(origin.engine, name, version, { files: [{ path: 'models/w.bin', source: randomBytes(bytes) }] });
  return { path: `/api/v1/packages/${name}/${version}/download`, size: r.size, digest: r.digest };
}
const originCount = (p: string) => originHits.get(p)?.length ?? 0;

async function get(base: string, p: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + p, { headers });
  return { status: res.status, cache: res.headers.get('x-cache'), headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
const stats = async (base: string) => (await fetch(`${base}/api/v1/cache/stats`)).json();
const purge = (base: string, body: unknown, token: string | null = PURGE) =>
  fetch(`${base}/api/v1/cache/purge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('edge: misses and hits', () => {
  it('MISS then HIT with the bytes the origin serves, its validators replayed; If-None-Match → 304', async () => {
    const e = await edge();
    const p = await pkg('hit-a');
    const direct = await get(origin.url, p.path);
    const miss = await get(e.url, p.path);
    const hit = await get(e.url, p.path);
    expect([miss.status, miss.cache, hit.status, hit.cache]).toEqual([200, 'MISS', 200, 'HIT']);
    expect(miss.body.equals(direct.body)).toBe(true);
    expect(hit.body.equals(direct.body)).toBe(true);
    for (const h of ['etag', 'content-disposition', 'cache-control', 'x-torsh-digest', 'content-length']) expect(hit.headers.get(h), h).toBe(direct.headers.get(h));
    expect(hit.headers.get('x-content-type-options')).toBe('nosniff');
    expect(originCount(p.path)).toBe(2); // ours and the edge's one fill
    const notModified = await get(e.url, p.path, { 'if-none-match': direct.headers.get('etag')! });
    expect([notModified.status, notModified.cache, notModified.body.length]).toEqual([304, 'HIT', 0]);
    const head = await fetch(e.url + p.path, { method: 'HEAD' });
    expect([head.status, head.headers.get('x-cache'), head.headers.get('content-length')]).toEqual([200, 'HIT', String(p.size)]);
    expect(originCount(p.path)).toBe(2);
  });

  it('20 concurrent misses for one object make one origin fetch, and all get identical bytes', async () => {
    const e = await edge();
    const p = await pkg('crowd', '1.0.0', 4_000_000);
    const all = await Promise.all(Array.from({ length: 20 }, () => get(e.url, p.path)));
    expect(originCount(p.path)).toBe(1);
    expect(all.every((r) => r.status === 200)).toBe(true); // MISS, or HIT for one that came after the fill (see the stand-in origin test)
    for (const r of all) expect(r.body.equals(all[0].body)).toBe(true);
    expect(all[0].body.length).toBe(p.size);
    expect((await get(e.url, p.path)).cache).toBe('HIT');
    expect(originCount(p.path)).toBe(1);
  });

  it('a client hanging up mid-miss does not abort the fill another client waits on', async () => {
    const e = await edge();
    const p = await pkg('hangup', '1.0.0', 6_000_000);
    const ac = new AbortController();
    const quitter = fetch(e.url + p.path, { signal: ac.signal }).then(async (res) => {
      const reader = res.body!.getReader();
      await reader.read();
      ac.abort();
    });
    const stayer = get(e.url, p.path);
    await quitter.catch(() => {});
    const got = await stayer;
    expect([got.status, got.body.length]).toEqual([200, p.size]);
    expect((await get(e.url, p.path)).cache).toBe('HIT');
    expect(originCount(p.path)).toBe(1);
  });

  it('evicts the least recently used object at the size limit', async () => {
    const a = await pkg('ev-a', '1.0.0', 100_000);
    const b = await pkg('ev-b', '1.0.0', 100_000);
    const c = await pkg('ev-c', '1.0.0', 100_000);
    const e = await edge(Math.floor(a.size * 2.5));
    await get(e.url, a.path);
    await get(e.url, b.path);
    expect((await get(e.url, a.path)).cache).toBe('HIT'); // b is now the least recently used
    await get(e.url, c.path);
    const s = await stats(e.url);
    expect(s).toMatchObject({ evictions: 1, entries: 2, bytes: a.size + c.size, max_bytes: Math.floor(a.size * 2.5) });
    expect((await get(e.url, a.path)).cache).toBe('HIT');
    expect((await get(e.url, c.path)).cache).toBe('HIT');
    expect((await get(e.url, b.path)).cache).toBe('MISS');
  });

  it('Range on a miss (the whole object fetched once, only the range sent) and on a hit; 416 outside', async () => {
    const e = await edge();
    const p = await pkg('ranged', '1.0.0', 500_000);
    const whole = (await get(origin.url, p.path)).body;
    const before = originCount(p.path);
    const miss = await get(e.url, p.path, { range: 'bytes=1000-1999' });
    expect([miss.status, miss.cache, miss.headers.get('content-range')]).toEqual([206, 'MISS', `bytes 1000-1999/${p.size}`]);
    expect(miss.body.equals(whole.subarray(1000, 2000))).toBe(true);
    expect(originHits.get(p.path)!.slice(before)).toEqual([undefined]); // no Range upstream
    expect((await get(e.url, p.path)).body.equals(whole)).toBe(true); // done once the fill is
    const hit = await get(e.url, p.path, { range: 'bytes=-500' });
    expect([hit.status, hit.cache, hit.headers.get('content-range')]).toEqual([206, 'HIT', `bytes ${p.size - 500}-${p.size - 1}/${p.size}`]);
    expect(hit.body.equals(whole.subarray(p.size - 500))).toBe(true);
    const outside = await get(e.url, p.path, { range: `bytes=${p.size}-` });
    expect([outside.status, outside.cache, outside.headers.get('content-range')]).toEqual([416, 'HIT', `bytes */${p.size}`]);
    const staleIfRange = await get(e.url, p.path, { range: 'bytes=0-9', 'if-range': '"sha256:other"' });
    expect([staleIfRange.status, staleIfRange.body.length]).toEqual([200, p.size]);
    expect(originCount(p.path)).toBe(before + 1);
  });
});

describe('edge: what is never cached', () => {
  it("a private package's download passes through with the client's token, MISS every time; anonymous gets nothing", async () => {
    const e = await edge();
    const p = await pkg('secret-model');
    setVisibility(origin.engine, { name: 'secret-model', visibility: 'private' });
    const auth = { authorization: `Bearer ${admin.token}` };
    const first = await get(e.url, p.path, auth);
    const second = await get(e.url, p.path, auth);
    expect([first.status, first.cache, second.status, second.cache]).toEqual([200, 'MISS', 200, 'MISS']);
    expect(first.body.length).toBe(p.size);
    expect(first.headers.get('cache-control')).toMatch(/private/);
    const anonymous = await get(e.url, p.path);
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
    expect(anonymous.cache).toBe('MISS');
    expect(anonymous.body.includes(first.body.subarray(0, 64))).toBe(false);
    expect(originCount(p.path)).toBe(3);
    // an anonymous request that arrives while a token holder's miss is in flight does not share it
    const [withToken, without] = await Promise.all([get(e.url, p.path, auth), get(e.url, p.path)]);
    expect([withToken.status, withToken.body.length]).toEqual([200, p.size]);
    expect(without.status).toBeGreaterThanOrEqual(400);
    expect(without.body.length).toBeLessThan(1000);
    // a private range request is answered by the origin itself, with the client's validators
    const ranged = await get(e.url, p.path, { ...auth, range: 'bytes=0-99' });
    expect([ranged.status, ranged.body.equals(first.body.subarray(0, 100))]).toEqual([206, true]);
    expect((await stats(e.url)).entries).toBe(0);
  });

  it('a moving name (latest) and JSON reads pass through uncached; writes are refused; other paths 404', async () => {
    const e = await edge();
    await pkg('moving');
    const latest = await get(e.url, '/api/v1/packages/moving/latest/download');
    const again = await get(e.url, '/api/v1/packages/moving/latest/download');
    expect([latest.status, latest.cache, again.cache]).toEqual([200, 'MISS', 'MISS']);
    const meta = await get(e.url, '/api/v1/packages/moving');
    expect([meta.status, meta.cache, JSON.parse(meta.body.toString()).name]).toEqual([200, 'MISS', 'moving']);
    const put = await fetch(`${e.url}/api/v1/packages/moving/2.0.0`, { method: 'PUT', body: 'x' });
    expect([put.status, put.headers.get('allow'), put.headers.get('x-cache'), (await put.json()).error.code]).toEqual([405, 'GET, HEAD', 'MISS', 'METHOD_NOT_ALLOWED']);
    const other = await fetch(`${e.url}/`);
    expect([other.status, (await other.json()).error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });

  it('no cache busting: spellings of one object share an entry; a query string passes through and stores nothing', async () => {
    const e = await edge();
    const p = await pkg('bust-a');
    expect((await get(e.url, p.path)).cache).toBe('MISS');
    const encoded = await get(e.url, p.path.replace('bust-a', '%62ust-%61'));
    expect([encoded.status, encoded.cache]).toEqual([200, 'HIT']);
    const before = originCount(p.path);
    const entries = (await stats(e.url)).entries;
    for (let i = 0; i < 3; i++) {
      const busted = await get(e.url, `${p.path}?v=${i}`);
      expect([busted.status, busted.cache]).toEqual([200, 'MISS']);
    }
    expect(originCount(p.path)).toBe(before + 3);
    expect((await stats(e.url)).entries).toBe(entries);
    expect((await get(e.url, p.path)).cache).toBe('HIT');
  });

  it('forwards X-Forwarded-For and drops hop-by-hop headers', async () => {
    const e = await edge();
    const seen: http.IncomingHttpHeaders[] = [];
    const listener = (req: http.IncomingMessage) => {
      if (req.url === '/api/v1/search?q=xff') seen.push({ ...req.headers });
    };
    origin.server.prependListener('request', listener);
    const { port } = new URL(e.url);
    await new Promise<void>((resolve, reject) => {
      const req = nodeHttp.get({ host: '127.0.0.1', port, path: '/api/v1/search?q=xff', headers: { 'x-forwarded-for': '203.0.113.9', 'x-drop-me': '1', connection: 'x-drop-me', te: 'trailers' } }, (res) => {
        res.resume().on('end', resolve);
      });
      req.on('error', reject);
    }).finally(() => origin.server.off('request', listener));
    expect(seen[0]['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen[0]['x-drop-me']).toBeUndefined();
    expect(seen[0].te).toBeUndefined();
  });

  it('answers 502 EDGE_ORIGIN_UNREACHABLE when the origin is down', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edge-'));
    dirs.push(dir);
    const e = await startEdgeServer({ origin: 'http://127.0.0.1:9', dataDir: dir, cacheSizeBytes: 1 << 20, port: 0, host: '127.0.0.1' });
    edges.push(e);
    const res = await get(e.url, '/api/v1/packages/x/1.0.0/download');
    expect([res.status, res.cache, JSON.parse(res.body.toString()).error.code]).toEqual([502, 'MISS', 'EDGE_ORIGIN_UNREACHABLE']);
  });
});

describe('edge: purge, stats, health, restart', () => {
  it('purges a version, a package, everything; refuses a wrong or missing token, and everything without a configured token', async () => {
    const e = await edge();
    const p1 = await pkg('pg-a', '1.0.0', 50_000);
    const p2 = await pkg('pg-a', '2.0.0', 50_000);
    const q = await pkg('pg-b', '1.0.0', 50_000);
    for (const p of [p1, p2, q]) await get(e.url, p.path);
    expect((await purge(e.url, { all: true }, null)).status).toBe(401);
    expect((await purge(e.url, { all: true }, 'wrong')).status).toBe(401);
    expect((await purge(e.url, {})).status).toBe(400);
    expect((await purge(e.url, { version: '1.0.0' })).status).toBe(400);
    const tooBig = await purge(e.url, { name: 'x'.repeat(10_000) });
    expect(tooBig.status).toBe(413);
    expect((await stats(e.url)).entries).toBe(3);

    const one = await purge(e.url, { name: 'pg-a', version: '1.0.0' });
    expect([one.status, one.headers.get('x-cache')]).toEqual([200, 'MISS']);
    expect(await one.json()).toEqual({ purged: 1, bytes: p1.size });
    expect((await get(e.url, p1.path)).cache).toBe('MISS');
    expect((await get(e.url, p2.path)).cache).toBe('HIT');
    expect(await (await purge(e.url, { name: 'pg-a' })).json()).toEqual({ purged: 2, bytes: p1.size + p2.size });
    expect((await get(e.url, q.path)).cache).toBe('HIT');
    expect(await (await purge(e.url, { all: true })).json()).toEqual({ purged: 1, bytes: q.size });
    expect((await get(e.url, q.path)).cache).toBe('MISS');

    const closed = await edge(1 << 20, undefined, null);
    const refused = await purge(closed.url, { all: true });
    expect([refused.status, (await refused.json()).error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('stats add up with what the clients received; health reports the cache', async () => {
    const e = await edge();
    const a = await pkg('st-a', '1.0.0', 80_000);
    const b = await pkg('st-b', '1.0.0', 120_000);
    const got = [await get(e.url, a.path), await get(e.url, a.path), await get(e.url, b.path, { range: 'bytes=0-999' })];
    got.push(await get(e.url, b.path)); // joins the fill the range started (MISS), or a HIT if it is done
    got.push(await get(e.url, b.path, { range: 'bytes=10-19' }), await get(e.url, '/api/v1/packages/st-a'), await get(e.url, '/api/v1/packages/none/1.0.0/download'));
    const of = (kind: string) => got.filter((r) => r.cache === kind);
    const sum = (kind: string) => of(kind).reduce((n, r) => n + r.body.length, 0);
    expect(got.map((r) => r.cache)).toEqual(['MISS', 'HIT', 'MISS', expect.stringMatching(/^(HIT|MISS)$/), 'HIT', 'MISS', 'MISS']);
    const s = await stats(e.url);
    expect(s).toMatchObject({ requests: 7, hits: of('HIT').length, misses: of('MISS').length, bytes_from_cache: sum('HIT'), bytes_from_origin: sum('MISS'), entries: 2, bytes: a.size + b.size, evictions: 0 });
    expect(s.bytes_from_cache + s.bytes_from_origin).toBe(got.reduce((n, r) => n + r.body.length, 0));
    expect(typeof s.started_at).toBe('number');
    const health = await (await fetch(`${e.url}/api/v1/health`)).json();
    expect(health).toMatchObject({ status: 'ok', role: 'edge', origin: origin.url, cache: { entries: 2, bytes: a.size + b.size, max_bytes: 64 << 20 }, load: { active_requests: 1 } });
  });

  it('a restart keeps the cache: the index is rebuilt from the files', async () => {
    const first = await edge();
    const p = await pkg('kept');
    const miss = await get(first.url, p.path);
    await first.close();
    edges.splice(edges.indexOf(first), 1);
    const second = await edge(64 << 20, first.dir);
    expect((await stats(second.url)).entries).toBe(1);
    const hit = await get(second.url, p.path);
    expect([hit.cache, hit.body.equals(miss.body)]).toEqual(['HIT', true]);
    expect(originCount(p.path)).toBe(1);
  });
});

it('torsh serve --role edge starts the role as a process', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edge-cli-'));
  dirs.push(dir);
  const p = await pkg('cli-edge', '1.0.0', 10_000);
  const e = await startRole(['--role', 'edge', '--origin', origin.url, '--data', dir, '--cache-size', '1MiB'], { TORSH_PURGE_TOKEN: PURGE });
  try {
    const health = await (await fetch(`${e.url}/api/v1/health`)).json();
    expect(health).toMatchObject({ role: 'edge', cache: { max_bytes: 1 << 20 } });
    expect((await get(e.url, p.path)).cache).toBe('MISS');
    expect((await get(e.url, p.path)).cache).toBe('HIT');
    expect((await purge(e.url, { all: true })).status).toBe(200);
  } finally {
    await e.stop();
  }
  expect(e.proc.exitCode).toBe(0);
});

describe('edge: an origin that stalls or dies mid-body', () => {
  /** A stand-in origin: announces `size` public bytes, sends the first half, then waits for the test. */
  async function fakeOrigin(size: number) {
    const first = Buffer.alloc(size / 2, 1);
    let fetches = 0;
    const pending: http.ServerResponse[] = [];
    const server = nodeHttp.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-length': size, 'cache-control': 'public, max-age=60', 'content-type': 'application/octet-stream', etag: '"v1"' });
      res.write(first);
      pending.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return {
      url,
      fetches: () => fetches,
      waiting: () => pending.length,
      finish: () => pending.splice(0).forEach((res) => res.end(Buffer.alloc(size / 2, 2))),
      die: () => pending.splice(0).forEach((res) => res.destroy()),
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  async function edgeFor(originUrl: string) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edge-'));
    dirs.push(dir);
    const e = await startEdgeServer({ origin: originUrl, dataDir: dir, cacheSizeBytes: 1 << 20, port: 0, host: '127.0.0.1' });
    edges.push(e);
    return Object.assign(e, { dir });
  }
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setImmediate(r));
    expect(cond()).toBe(true);
  };
  const P = '/api/v1/packages/f/1.0.0/download';

  it('20 misses while the origin is still sending: one origin fetch, all MISS, all complete', async () => {
    const o = await fakeOrigin(200_000);
    const e = await edgeFor(o.url);
    const all = Array.from({ length: 20 }, () => get(e.url, P));
    for (let i = 0; i < 200 && (await stats(e.url)).misses < 20; i++) await new Promise((r) => setImmediate(r));
    expect((await stats(e.url)).misses).toBe(20);
    o.finish();
    const got = await Promise.all(all);
    expect(got.map((r) => `${r.status} ${r.cache} ${r.body.length}`)).toEqual(Array(20).fill('200 MISS 200000'));
    expect(o.fetches()).toBe(1);
    await o.close();
  });

  it('streams the bytes that have landed before the origin has sent the rest', async () => {
    const o = await fakeOrigin(200_000);
    const e = await edgeFor(o.url);
    const res = await fetch(e.url + P);
    expect([res.status, res.headers.get('x-cache'), res.headers.get('content-length')]).toEqual([200, 'MISS', '200000']);
    const reader = res.body!.getReader();
    let got = 0;
    while (got < 100_000) got += (await reader.read()).value!.length; // the first half, while the origin waits
    expect(o.waiting()).toBe(1);
    o.finish();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      got += value.length;
    }
    expect(got).toBe(200_000);
    expect((await get(e.url, P)).cache).toBe('HIT');
    expect(o.fetches()).toBe(1);
    await o.close();
  });

  it('a fill that dies leaves nothing behind: every waiting client gets an error, the next request fetches again', async () => {
    const o = await fakeOrigin(200_000);
    const e = await edgeFor(o.url);
    // Each client's rejection is expected from the start: awaiting them one by one left the
    // second without a handler while the first was awaited, an unhandled rejection when it lost the race.
    const clients = [0, 1].map(() => expect(fetch(e.url + P).then((r) => r.arrayBuffer())).rejects.toThrow());
    await until(() => o.waiting() === 1);
    o.die();
    await Promise.all(clients);
    expect(o.fetches()).toBe(1);
    expect(await stats(e.url)).toMatchObject({ entries: 0, bytes: 0 });
    expect(await readdir(path.join(e.dir, 'cache', 'tmp'))).toEqual([]);
    const again = fetch(e.url + P).then((r) => r.arrayBuffer());
    await until(() => o.waiting() === 1);
    o.finish();
    expect((await again).byteLength).toBe(200_000);
    expect(o.fetches()).toBe(2);
    await o.close();
  });
});
