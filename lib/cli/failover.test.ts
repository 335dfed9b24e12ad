import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSample } from '../engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../server/test-support/api-test-server';
import { DEFAULT_FAILOVER, loadConfig, withFailoverFlags, type Config, type FailoverConfig } from './config';
import { EXIT } from './exit-codes';
import { downloadFromLocations, fetchLocations, type Location } from './failover';
import { FailoverMemory } from './failover-memory';
import type { FetchTarget } from './fetch-package';
import { PackageCache } from './package-cache';
import { startFakeRegistry, type FakeRegistry } from './test-support/fake-registry';
import { deadUrl, serveBytes, serveCorrupted, startMirror, type MirrorHandler, type TestMirror } from './test-support/mirrors';
import { torshInProcess } from './test-support/run-in-process';
import { cliHome, removeHomes } from './test-support/run-torsh';

// Real servers on loopback: the origin (the API server over a temp engine) and node:http servers
// playing mirrors that are dead, silent, corrupting, flaky or cut off mid-body.

const closers: (() => Promise<void>)[] = [];

async function mirror(handle: MirrorHandler): Promise<TestMirror> {
  const m = await startMirror(handle);
  closers.push(m.close);
  return m;
}

let origin: ApiTestServer;
let bytes: Buffer;
let target: FetchTarget;
const dl = (base: string) => `${base}/api/v1/packages/resnet/1.0.0/download`;
const loc = (url: string, kind = 'mirror', region: string | null = 'eu-west'): Location => ({ url, kind, region });

beforeAll(async () => {
  origin = await startApiTestServer();
  const published = await publishSample(origin.engine, 'resnet', '1.0.0');
  bytes = Buffer.from(await (await fetch(dl(origin.url))).arrayBuffer());
  target = { name: 'resnet', version: '1.0.0', digest: published.digest.replace('sha256:', ''), size: published.size };
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(target.digest);
}, 60_000);

afterAll(async () => {
  for (const close of closers) await close();
  await origin?.close();
  removeHomes();
});

async function setup(fo: Partial<FailoverConfig> = {}, token?: string) {
  const { dir, env } = cliHome();
  const cfg: Config = { ...(await loadConfig({ registry: origin.url }, env)), retries: 0, token: token ?? null };
  const failover: FailoverConfig = { ...DEFAULT_FAILOVER, attemptTimeoutMs: 2000, retryDelayMs: 0, maxRetries: 0, ...fo };
  return { dir, env, cfg, failover, out: path.join(dir, 'resnet-1.0.0.torshpkg') };
}

describe('downloadFromLocations', () => {
  it('skips a dead mirror, a silent one (timeout) and a corrupting one; the next serves and is verified', async () => {
    const dead = await deadUrl();
    const silent = await mirror(() => undefined); // accepts, never answers
    const corrupt = await mirror(serveCorrupted(bytes, target.digest)); // claims the right digest in its headers
    const good = await mirror(serveBytes(bytes, target.digest));
    const { cfg, failover, out } = await setup({ attemptTimeoutMs: 300 });
    const result = await downloadFromLocations(cfg, failover, target, [loc(dl(dead)), loc(dl(silent.url)), loc(dl(corrupt.url), 'edge', null), loc(dl(good.url), 'mirror', 'us-east')], out, { cache: null });
    expect(result.source).toEqual(loc(dl(good.url), 'mirror', 'us-east'));
    expect(result.failures.map((f) => [f.url, f.kind])).toEqual([
      [dl(dead), 'mirror'],
      [dl(silent.url), 'mirror'],
      [dl(corrupt.url), 'edge'],
    ]);
    expect(result.failures[0].error).toMatch(/connection refused/);
    expect(result.failures[1].error).toMatch(/timeout/);
    expect(result.failures[2].error).toMatch(/expected sha256:/);
    expect(await readFile(out)).toEqual(bytes);
    // The token is for the registry only.
    for (const m of [silent, corrupt, good]) for (const h of m.requests) expect(h.authorization).toBeUndefined();
  });

  it('falls back to the registry itself when every named location fails, sending the token there only', async () => {
    const corrupt = await mirror((_req, res) => res.end('not the package'));
    const { cfg, failover, out } = await setup();
    const result = await downloadFromLocations(cfg, failover, target, [loc(dl(corrupt.url))], out, { cache: null });
    expect(result.source).toMatchObject({ url: dl(origin.url), kind: 'origin' });
    expect(result.failures).toHaveLength(1);
    expect(await readFile(out)).toEqual(bytes);
    expect(corrupt.requests[0].authorization).toBeUndefined();
  });

  it("the origin's entry is reached through the configured registry (its own timeout and retries), not by its URL", async () => {
    const { cfg, failover, out } = await setup();
    const elsewhere = await deadUrl();
    const result = await downloadFromLocations(cfg, failover, target, [loc(dl(elsewhere), 'origin', null)], out, { cache: null });
    expect(result.source).toMatchObject({ url: dl(origin.url), kind: 'origin' });
    expect(result.failures).toEqual([]);
  });

  it('retries a 503 in place (max_retries) before failing over', async () => {
    const flaky = await mirror((req, res, n) => {
      if (n === 1) {
        res.writeHead(503, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }));
      }
      serveBytes(bytes, target.digest)(req, res);
    });
    const { cfg, failover, out } = await setup({ maxRetries: 1 });
    const result = await downloadFromLocations(cfg, failover, target, [loc(dl(flaky.url))], out, { cache: null });
    expect(result.source?.url).toBe(dl(flaky.url));
    expect(result.failures).toEqual([]);
    expect(flaky.requests).toHaveLength(2);

    const always = await mirror((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const second = await setup({ maxRetries: 2 });
    const r2 = await downloadFromLocations(second.cfg, second.failover, target, [loc(dl(always.url))], second.out, { cache: null });
    expect(always.requests).toHaveLength(3);
    expect(r2.source?.kind).toBe('origin');
  });

  it('a body cut off mid-way is resumed at the next location (Range + If-Range) and the joined bytes verify', async () => {
    const big = randomBytes(4 << 20);
    const bigTarget = { name: 'resnet', version: '1.0.0', digest: createHash('sha256').update(big).digest('hex'), size: big.length };
    const cut = await mirror((_req, res) => {
      res.writeHead(200, { 'content-length': big.length, etag: `"sha256:${bigTarget.digest}"` });
      res.write(big.subarray(0, big.length >> 1));
      res.socket!.end(); // FIN after the half: the client keeps what arrived
    });
    const good = await mirror(serveBytes(big, bigTarget.digest));
    const { cfg, failover, out } = await setup();
    const result = await downloadFromLocations(cfg, failover, bigTarget, [loc(dl(cut.url)), loc(dl(good.url))], out, { cache: null });
    expect(result.source?.url).toBe(dl(good.url));
    expect(result.resumed).toBe(true);
    const start = Number(/^bytes=(\d+)-$/.exec(good.requests[0].range ?? '')?.[1]);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(big.length >> 1);
    expect((await readFile(out)).equals(big)).toBe(true);
  });

  it('every location failing is the last failure’s exit code; the partial file is gone after a mismatch', async () => {
    const corrupt = await mirror((_req, res) => res.end(Buffer.alloc(target.size)));
    const { cfg, failover, out } = await setup();
    const badOrigin = { ...cfg, registry: (await deadUrl()) };
    await expect(downloadFromLocations(badOrigin, failover, target, [loc(dl(corrupt.url))], out, { cache: null })).rejects.toMatchObject({
      exitCode: EXIT.UNAVAILABLE,
      message: 'resnet@1.0.0: every location failed (2 tried)',
    });
    await expect(downloadFromLocations(cfg, failover, target, [loc(dl(corrupt.url)), loc(dl(corrupt.url), 'edge')], out, { cache: null }).then(() => 'ok')).resolves.toBe('ok');
  });

  it('fail-back off: a host that failed goes last in later downloads until it serves again', async () => {
    let down = true;
    const flappy = await mirror((req, res) => (down ? res.destroy() : serveBytes(bytes, target.digest)(req, res)));
    const other = await mirror(serveBytes(bytes, target.digest));
    const { dir, cfg, failover } = await setup({ failback: false });
    const memory = new FailoverMemory(dir);
    const locations = [loc(dl(flappy.url)), loc(dl(other.url))];
    const first = await downloadFromLocations(cfg, failover, target, locations, path.join(dir, 'a'), { cache: null, memory });
    expect(first.source?.url).toBe(dl(other.url));
    expect(await memory.remembered()).toEqual([flappy.url]);
    down = false;
    const before = flappy.requests.length;
    const second = await downloadFromLocations(cfg, failover, target, locations, path.join(dir, 'b'), { cache: null, memory });
    expect(second.source?.url).toBe(dl(other.url));
    expect(flappy.requests.length).toBe(before); // not tried: it stays behind
    // Fail-back on: the registry's order again, and the recovered mirror serves.
    const third = await downloadFromLocations(cfg, { ...failover, failback: true }, target, locations, path.join(dir, 'c'), { cache: null, memory });
    expect(third.source?.url).toBe(dl(flappy.url));
  });

  it('a cached copy is used without asking any location', async () => {
    const { dir, cfg, failover, out } = await setup();
    const cache = new PackageCache(path.join(dir, 'cache'), 1 << 30);
    const file = path.join(dir, 'seed');
    await writeFile(file, bytes);
    await cache.add('resnet@1.0.0', target.digest, target.size, file);
    const never = await mirror((_req, res) => res.end());
    const result = await downloadFromLocations(cfg, failover, target, [loc(dl(never.url))], out, { cache });
    expect(result.fromCache).toBe(true);
    expect(result.source).toBeNull();
    expect(never.requests).toHaveLength(0);
  });
});

describe('fetchLocations', () => {
  it('a registry without the route (404 ROUTE_NOT_FOUND) gives null: download as before', async () => {
    const older = await startFakeRegistry({
      'GET /api/v1/packages/resnet/1.0.0/locations': { status: 404, json: { error: { code: 'ROUTE_NOT_FOUND', message: 'no API route' } } },
    });
    closers.push(older.close);
    const { cfg, failover } = await setup();
    expect(await fetchLocations({ ...cfg, registry: older.url }, failover, target)).toBeNull();
  });

  it('a real origin without mirrors or edges lists itself only', async () => {
    const { cfg, failover } = await setup();
    const located = await fetchLocations(cfg, failover, target);
    expect(located?.map((l) => l.kind)).toEqual(['origin']);
  });

  it('keeps http(s) entries, passes the region, refuses a second digest', async () => {
    let fake: FakeRegistry | null = null;
    const answer = (digest: string) => ({
      name: 'resnet',
      version: '1.0.0',
      digest: `sha256:${digest}`,
      size: target.size,
      strategy: 'priority',
      region: 'eu-west',
      locations: [{ url: 'file:///etc/passwd', kind: 'mirror' }, { url: 'http://m1.test/x', kind: 'mirror', region: 'eu-west' }, { nope: 1 }],
    });
    fake = await startFakeRegistry({ 'GET /api/v1/packages/resnet/1.0.0/locations': { json: answer(target.digest) } });
    closers.push(fake.close);
    const { cfg, failover } = await setup({ region: 'eu-west' });
    const located = await fetchLocations({ ...cfg, registry: fake.url }, failover, target);
    expect(located).toEqual([{ url: 'http://m1.test/x', kind: 'mirror', region: 'eu-west' }]);
    expect(fake.requests[0].url).toBe('/api/v1/packages/resnet/1.0.0/locations?region=eu-west');
    const liar = await startFakeRegistry({ 'GET /api/v1/packages/resnet/1.0.0/locations': { json: answer('0'.repeat(64)) } });
    closers.push(liar.close);
    await expect(fetchLocations({ ...cfg, registry: liar.url }, failover, target)).rejects.toMatchObject({ exitCode: EXIT.INTEGRITY });
  });
});

describe('torsh download with failover', () => {
  const meta = () => ({ name: 'resnet', version: '1.0.0', digest: `sha256:${target.digest}`, size: target.size, yanked: false, signature: null });

  it('names the source on stderr and in --json, after failing over from a corrupting mirror', async () => {
    const corrupt = await mirror((_req, res) => res.end(Buffer.alloc(target.size)));
    const good = await mirror(serveBytes(bytes, target.digest));
    const locations = [
      { url: dl(corrupt.url), kind: 'mirror', id: 1, region: 'us-east', state: 'healthy', latency_ms: 3 },
      { url: dl(good.url), kind: 'mirror', id: 2, region: 'eu-west', state: 'healthy', latency_ms: 5 },
    ];
    const fake = await startFakeRegistry({
      'GET /api/v1/packages/resnet/1.0.0': { json: meta() },
      'GET /api/v1/packages/resnet/1.0.0/locations': { json: { name: 'resnet', version: '1.0.0', digest: `sha256:${target.digest}`, size: target.size, strategy: 'priority', region: null, locations } },
    });
    closers.push(fake.close);
    const { dir, env } = cliHome();
    const args = ['download', 'resnet@1.0.0', '-o', `${dir}/`, '--registry', fake.url, '--retries', '0', '--max-retries', '0'];
    const text = await torshInProcess(args, env);
    expect(text.code, text.stderr).toBe(EXIT.OK);
    expect(text.stderr).toContain(`${dl(corrupt.url)} (mirror us-east) failed:`);
    expect(text.stderr).toContain(`served by ${dl(good.url)} (mirror eu-west)\n`);
    expect(await readFile(path.join(dir, 'resnet-1.0.0.torshpkg'))).toEqual(bytes);

    const json = await torshInProcess([...args, '--no-cache', '--json', '-o', path.join(dir, 'again.torshpkg')], env);
    expect(json.code, json.stderr).toBe(EXIT.OK);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.source).toEqual({ url: dl(good.url), kind: 'mirror', id: 2, region: 'eu-west' });
    expect(parsed.failed_over).toEqual([expect.objectContaining({ url: dl(corrupt.url), kind: 'mirror' })]);

    // --no-failover: the registry's own route only (the fake has none: 404).
    const off = await torshInProcess([...args, '--no-cache', '--no-failover', '-o', path.join(dir, 'off.torshpkg')], env);
    expect(off.code).toBe(EXIT.NOT_FOUND);
    expect(fake.requests.filter((r) => r.url.endsWith('/locations'))).toHaveLength(2);
  });

  it('against a registry without the locations route: downloads from it as before, source = the registry', async () => {
    const { dir, env } = cliHome();
    const result = await torshInProcess(['download', 'resnet@1.0.0', '-o', `${dir}/`, '--registry', origin.url, '--json'], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(JSON.parse(result.stdout)).toMatchObject({ source: { url: dl(origin.url), kind: 'origin' }, digest: `sha256:${target.digest}` });
    expect(result.stderr).not.toContain('served by');
  });
});

describe('failover config', () => {
  it('flags, then environment, then the file\'s "failover" object, then the crate\'s defaults', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-failover-config-'));
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ failover: { max_retries: 7, retry_delay_ms: 50, failback: false, attempt_timeout_ms: 900, region: 'eu-west', enabled: true } }));
    const env = { TORSH_CONFIG: file, HOME: dir, TORSH_FAILOVER_MAX_RETRIES: '2', TORSH_REGION: 'us-east' } as unknown as NodeJS.ProcessEnv;
    const cfg = await loadConfig({}, env);
    expect(cfg.failover).toEqual({ enabled: true, maxRetries: 2, retryDelayMs: 50, failback: false, attemptTimeoutMs: 900, region: 'us-east' });
    expect(withFailoverFlags(cfg.failover, { failover: false, maxRetries: '0', attemptTimeout: '100', region: 'ap-south' })).toEqual({
      enabled: false,
      maxRetries: 0,
      retryDelayMs: 50,
      failback: false,
      attemptTimeoutMs: 100,
      region: 'ap-south',
    });
    const defaults = await loadConfig({}, { HOME: dir, TORSH_CONFIG: path.join(dir, 'none.json') } as unknown as NodeJS.ProcessEnv);
    expect(defaults.failover).toEqual({ enabled: true, maxRetries: 3, retryDelayMs: 1000, failback: true, attemptTimeoutMs: 10_000, region: null });
    await expect(loadConfig({}, { ...env, TORSH_FAILBACK: 'maybe' })).rejects.toThrow('TORSH_FAILBACK must be true or false');
    expect(() => withFailoverFlags(cfg.failover, { region: '../x' })).toThrow('--region must be a region name');
  });
});
