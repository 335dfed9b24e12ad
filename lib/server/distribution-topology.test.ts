/**
 * The distribution network as real processes on loopback: a headless origin, two mirrors and an
 * edge (`torsh serve --role …`), registered on the origin through its API, and the `torsh` CLI
 * downloading through the locations the origin hands out.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { cliHome, removeHomes, runTorsh } from '@/lib/cli/test-support/run-torsh';
import { adminToken, startRole, type RoleProcess } from '@/lib/server/test-support/role-process';

const PASSWORD = 'topology-pass-1';
const PURGE_TOKEN = 'topology-purge-token';
/** Health checks every second, a state change after two agreeing checks. */
const CHECK_INTERVAL_MS = 1000;
const FLAP = 2;
/** Scrubs that never run on their own during the test (a restart with a frequent cron runs one). */
const NO_SCRUB = '0 0 1 1 *';

let tmp: string;
let origin: RoleProcess;
let edge: RoleProcess;
const mirrors: { proc: RoleProcess; dir: string; id: number; region: string }[] = [];
let token: string;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const auth = () => ({ authorization: `Bearer ${token}` });
const api = (base: string, p: string, init: RequestInit = {}) => fetch(`${base}/api/v1${p}`, init);
const jsonInit = (method: string, body: unknown): RequestInit => ({ method, headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function publish(name: string, version: string): Promise<Buffer> {
  const bytes = await fs.readFile(await writeSamplePackage({ name, version, description: `${name} ${version}` }));
  const res = await api(origin.url, `/packages/${name}/${version}`, { method: 'PUT', headers: auth(), body: new Uint8Array(bytes) });
  if (res.status !== 201) throw new Error(`publish ${name}@${version}: ${res.status} ${await res.text()}`);
  return bytes;
}

/** Poll until `check` holds (every process works in the background); fail with the last value seen. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const last = await read();
    if (check(last)) return last;
    if (Date.now() > until) throw new Error(`${what}: not reached in ${timeoutMs} ms; last ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statusOn = async (base: string, p: string) => (await api(base, p)).status;
const bodyOn = async (base: string, p: string) => Buffer.from(await (await api(base, p)).arrayBuffer());
const mirrorState = async (id: number) => {
  const { mirrors: rows } = (await (await api(origin.url, '/mirrors', { headers: auth() })).json()) as { mirrors: { id: number; state: string }[] };
  return rows.find((m) => m.id === id)?.state;
};
/** Every mirror has applied every change the origin has now. */
async function mirrorsCaughtUp(): Promise<void> {
  const head = ((await (await api(origin.url, '/health')).json()) as { feed: { head: number } }).feed.head;
  for (const m of mirrors) {
    await eventually(`mirror ${m.region} at seq ${head}`, async () => (await (await api(m.proc.url, '/health')).json()).feed.position as number, (p) => p >= head);
  }
}

function startMirror(dir: string, extra: string[] = [], scrubCron = NO_SCRUB): Promise<RoleProcess> {
  return startRole(['--role', 'mirror', '--upstream', origin.url, '--data', dir, ...extra], { TORSH_MIRROR_SCRUB_CRON: scrubCron });
}

async function download(spec: string, env: NodeJS.ProcessEnv, out: string) {
  const r = await runTorsh(['download', spec, '--registry', origin.url, '--no-cache', '--json', '-o', out, '--attempt-timeout', '3000', '--max-retries', '0'], { env });
  if (r.code !== 0) throw new Error(`torsh download ${spec} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { digest: string; source: { url: string; kind: string; region: string | null }; failed_over: { url: string; kind: string; error: string }[] };
}

/** The file under a mirror's data dir holding the blob with this sha256 (blobs/aa/bb/<hex>). */
async function blobFile(dir: string, hex: string): Promise<string> {
  const file = path.join(dir, 'blobs', hex.slice(0, 2), hex.slice(2, 4), hex);
  await fs.access(file);
  return file;
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'torsh-topology-'));
  origin = await startRole(['--role', 'origin', '--data', path.join(tmp, 'origin')], {
    TORSH_ADMIN_PASSWORD: PASSWORD,
    TORSH_MIRROR_CHECK_INTERVAL_S: String(CHECK_INTERVAL_MS / 1000),
    TORSH_MIRROR_FLAP_THRESHOLD: String(FLAP),
    TORSH_CDN_COLLECT_INTERVAL_S: '1',
  });
  token = await adminToken(origin.url, PASSWORD);
  for (const [i, region] of ['eu-west', 'us-east'].entries()) {
    const dir = path.join(tmp, `mirror-${region}`);
    const proc = await startMirror(dir);
    const res = await api(origin.url, '/mirrors', jsonInit('POST', { url: proc.url, region, priority: i + 1, weight: 100 }));
    expect(res.status, await res.clone().text()).toBe(201);
    mirrors.push({ proc, dir, id: (await res.json()).id, region });
  }
  edge = await startRole(['--role', 'edge', '--origin', origin.url, '--data', path.join(tmp, 'edge'), '--cache-size', '64MiB', '--purge-token', PURGE_TOKEN]);
  const res = await api(origin.url, '/edges', jsonInit('POST', { url: edge.url, region: 'eu-west', provider: 'torsh-edge', purge_token: PURGE_TOKEN }));
  expect(res.status, await res.clone().text()).toBe(201);
}, 180_000);

afterAll(async () => {
  for (const m of mirrors) await m.proc.stop();
  await edge?.stop();
  await origin?.stop();
  removeHomes();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('origin + 2 mirrors + 1 edge on loopback', () => {
  it('a publish reaches both mirrors, byte-identical; yank, channel moves and deletes follow; a private package never reaches them', async () => {
    const bytes = await publish('topo-model', '1.0.0');
    await publish('topo-model', '1.1.0');
    for (const m of mirrors) {
      await eventually(`topo-model@1.1.0 on ${m.region}`, () => statusOn(m.proc.url, '/packages/topo-model/1.1.0/download'), (s) => s === 200);
      expect(sha256(await bodyOn(m.proc.url, '/packages/topo-model/1.0.0/download'))).toBe(sha256(bytes));
    }

    expect((await api(origin.url, '/packages/topo-model/1.1.0/yank', jsonInit('POST', { reason: 'bad weights' }))).status).toBe(200);
    expect((await api(origin.url, '/packages/topo-model/channels/production', jsonInit('PUT', { version: '1.0.0' }))).status).toBe(200);
    await publish('topo-gone', '1.0.0');
    await mirrorsCaughtUp();
    expect((await api(origin.url, '/packages/topo-gone/1.0.0', { method: 'DELETE', headers: auth() })).status).toBe(200);

    // Public first (its publish row is public), then private: later versions must never leave the origin.
    await publish('topo-secret', '1.0.0');
    expect((await api(origin.url, '/packages/topo-secret/access', jsonInit('PATCH', { visibility: 'private' }))).status).toBe(200);
    const secret2 = await publish('topo-secret', '2.0.0');
    await publish('topo-marker', '1.0.0'); // a later public change: once it is on a mirror, everything before it is applied
    await mirrorsCaughtUp();

    for (const m of mirrors) {
      await eventually(`topo-marker on ${m.region}`, () => statusOn(m.proc.url, '/packages/topo-marker/1.0.0'), (s) => s === 200);
      const version = await (await api(m.proc.url, '/packages/topo-model/1.1.0')).json();
      expect(version.yanked).toBe(true);
      const channels = await (await api(m.proc.url, '/packages/topo-model/channels')).json();
      expect(channels.channels).toEqual([expect.objectContaining({ name: 'production', version: '1.0.0' })]);
      expect(await statusOn(m.proc.url, '/packages/topo-gone/1.0.0/download')).toBe(404);
      expect(await statusOn(m.proc.url, '/packages/topo-secret/2.0.0/download')).toBe(404);
      expect(await statusOn(m.proc.url, '/packages/topo-secret')).toBe(404);
      await expect(blobFile(m.dir, sha256(secret2))).rejects.toThrow(/ENOENT/);
    }
  });

  it('locations list the mirrors that hold a version, the edge, then the origin; a private version only the origin', async () => {
    // Under load a check may find a mirror slow (degraded, left out) for a moment: its state converges.
    const body = await eventually(
      'both mirrors listed',
      async () => (await api(origin.url, '/packages/topo-model/1.0.0/locations', { headers: auth() })).json(),
      (b: { locations: { kind: string; url: string }[] }) => b.locations.filter((l) => l.kind === 'mirror').length === 2,
    );
    expect(body.locations.map((l: { kind: string }) => l.kind)).toEqual(['mirror', 'mirror', 'edge', 'origin']);
    expect(body.locations[0].url).toBe(`${mirrors[0].proc.url}/api/v1/packages/topo-model/1.0.0/download`);
    const secret = await (await api(origin.url, '/packages/topo-secret/2.0.0/locations', { headers: auth() })).json();
    expect(secret.locations.map((l: { kind: string }) => l.kind)).toEqual(['origin']);
  });

  it('edge: MISS then HIT with identical bytes, and its stats add up with what the client received', async () => {
    const url = `${edge.url}/api/v1/packages/topo-model/1.0.0/download`;
    const first = await fetch(url);
    const a = Buffer.from(await first.arrayBuffer());
    const second = await fetch(url);
    const b = Buffer.from(await second.arrayBuffer());
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect(b.equals(a)).toBe(true);
    expect(sha256(a)).toBe(sha256(await bodyOn(origin.url, '/packages/topo-model/1.0.0/download')));
    const stats = await (await api(edge.url, '/cache/stats')).json();
    expect(stats).toMatchObject({ hits: 1, misses: 1, requests: 2, bytes_from_cache: b.length, bytes_from_origin: a.length });

    // The origin's collector reads the edge's counters into the metrics store (the CDN page's charts).
    const now = Date.now();
    const traffic = async () => (await (await api(origin.url, `/cdn/traffic?from=${now - 3_600_000}&to=${now + 120_000}`, { headers: auth() })).json()).overall.totals;
    await eventually('the edge traffic collected on the origin', traffic, (t) => t.hits >= 1 && t.requests >= 2);

    // A yank on the origin purges the edge (a durable cdn.purge job): the next request is a miss again.
    expect((await api(origin.url, '/packages/topo-model/1.0.0/yank', jsonInit('POST', { reason: 'purge me' }))).status).toBe(200);
    await eventually('the edge entry purged', async () => (await api(edge.url, '/cache/stats')).json(), (s) => s.entries === 0);
    const third = await fetch(url);
    await third.arrayBuffer();
    expect(third.headers.get('x-cache')).toBe('MISS');
    expect((await api(origin.url, '/packages/topo-model/1.0.0/yank', { method: 'DELETE', headers: auth() })).status).toBe(200);
  });

  it('a killed mirror: the CLI fails over and verifies; the mirror turns unhealthy within two check intervals; restarted, it catches up and turns healthy', async () => {
    const [eu] = mirrors;
    const bytes = await bodyOn(origin.url, '/packages/topo-model/1.0.0/download');
    await eu.proc.stop('SIGKILL');
    const killedAt = Date.now();
    const { env } = cliHome();
    const out = path.join(tmp, 'failover.torshpkg');
    const got = await download('topo-model@1.0.0', env, out);
    expect(got.failed_over.map((f) => f.url)).toContain(`${eu.proc.url}/api/v1/packages/topo-model/1.0.0/download`);
    expect(got.source.url).not.toContain(eu.proc.url);
    expect(sha256(await fs.readFile(out))).toBe(sha256(bytes));

    await eventually('eu-west unhealthy', () => mirrorState(eu.id), (s) => s === 'unhealthy', 2 * CHECK_INTERVAL_MS * FLAP + 5_000);
    // Two intervals (the flap threshold) plus the probe's own timeout at most.
    expect(Date.now() - killedAt).toBeLessThan(FLAP * CHECK_INTERVAL_MS + 5_000 + CHECK_INTERVAL_MS);

    await publish('topo-model', '2.0.0'); // published while the mirror is down
    eu.proc = await startMirror(eu.dir, ['--port', String(eu.proc.port)]);
    await eventually('eu-west caught up', () => statusOn(eu.proc.url, '/packages/topo-model/2.0.0/download'), (s) => s === 200);
    await eventually('eu-west healthy', () => mirrorState(eu.id), (s) => s === 'healthy');
  });

  it('a corrupted blob on a mirror: the CLI detects the mismatch and falls back; the mirror scrub re-fetches it', async () => {
    const [eu] = mirrors;
    await eventually('eu-west healthy', () => mirrorState(eu.id), (s) => s === 'healthy');
    const good = await bodyOn(origin.url, '/packages/topo-model/1.0.0/download');
    const file = await blobFile(eu.dir, sha256(good));
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0xff;
    await fs.writeFile(file, bad);

    const { env } = cliHome();
    const out = path.join(tmp, 'corrupt.torshpkg');
    const got = await download('topo-model@1.0.0', env, out);
    expect(got.failed_over).toEqual([expect.objectContaining({ url: `${eu.proc.url}/api/v1/packages/topo-model/1.0.0/download` })]);
    expect(got.failed_over[0].error).toMatch(/sha256|mismatch|digest/i);
    expect(sha256(await fs.readFile(out))).toBe(sha256(good));

    await eu.proc.stop();
    eu.proc = await startMirror(eu.dir, ['--port', String(eu.proc.port)], '* * * * * *');
    await eventually('scrub re-fetched the blob', async () => sha256(await fs.readFile(file)), (h) => h === sha256(good), 20_000);
    expect(sha256(await bodyOn(eu.proc.url, '/packages/topo-model/1.0.0/download'))).toBe(sha256(good));
  });
});
