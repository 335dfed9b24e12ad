/**
 * The mirror role as real processes on loopback: an origin (torsh serve --role origin) and a
 * mirror following it (torsh serve --role mirror), each with its own data directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { generateSigningKey, signDigest } from '@/lib/engine/security/signing';
import { signChallenge } from '@/lib/engine/test-support/sign-challenge';
import { adminToken, startRole, type RoleProcess } from '@/lib/server/test-support/role-process';

const PASSWORD = 'mirror-test-pass-1';
let origin: RoleProcess;
let mirror: RoleProcess;
let token: string;
let originDir: string;
let mirrorDir: string;
const mirrorEnv = { TORSH_MIRROR_SCRUB_CRON: '* * * * * *', TORSH_MIRROR_CONCURRENCY: '2' };

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const auth = () => ({ authorization: `Bearer ${token}` });

async function publish(name: string, version: string, opts: { bytes?: Buffer; headers?: Record<string, string>; big?: number } = {}): Promise<{ digest: string; bytes: Buffer }> {
  const files = opts.big ? [{ path: 'models/weights.bin', source: randomBytes(opts.big) }] : undefined;
  const bytes = opts.bytes ?? (await fs.readFile(await writeSamplePackage({ name, version, files })));
  const res = await fetch(`${origin.url}/api/v1/packages/${name}/${version}`, { method: 'PUT', headers: { ...auth(), ...opts.headers }, body: new Uint8Array(bytes) });
  if (res.status !== 201) throw new Error(`publish ${name}@${version}: ${res.status} ${await res.text()}`);
  return { digest: (await res.json()).digest, bytes };
}

async function call(base: string, p: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}/api/v1${p}`, init);
}

/** Poll until `check` holds (the mirror syncs in the background); fail with the last value seen. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (check(last)) return last;
    if (Date.now() > until) throw new Error(`${what}: not reached in ${timeoutMs} ms; last ${JSON.stringify(last)}\n${mirror?.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const health = async () => (await call(mirror.url, '/health')).json();
const status = async (base: string, p: string) => (await call(base, p)).status;
const caughtUp = () => eventually('mirror caught up', health, (h) => h.feed.upstream_reachable && h.feed.position >= h.feed.head && h.feed.head > 0);

beforeAll(async () => {
  originDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mo-'));
  mirrorDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mm-'));
  origin = await startRole(['--role', 'origin', '--data', originDir], { TORSH_ADMIN_PASSWORD: PASSWORD });
  token = await adminToken(origin.url, PASSWORD);
  // Private before the mirror exists: its publish row is public (it was, then), the package is not.
  await publish('secret-model', '1.0.0');
  const hide = await call(origin.url, '/packages/secret-model/access', { method: 'PATCH', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ visibility: 'private' }) });
  expect(hide.status).toBe(200);
  await publish('secret-model', '2.0.0');
  mirror = await startRole(['--role', 'mirror', '--upstream', origin.url, '--data', mirrorDir], mirrorEnv);
}, 120_000);

afterAll(async () => {
  await mirror?.stop();
  await origin?.stop();
  await fs.rm(originDir, { recursive: true, force: true });
  await fs.rm(mirrorDir, { recursive: true, force: true });
});

describe('torsh serve --role mirror', () => {
  it('a publish reaches the mirror: byte-identical download, same ETag and headers, Range, metadata, search; health reports the feed', async () => {
    const { digest, bytes } = await publish('resnet', '1.0.0');
    await eventually('resnet on the mirror', () => status(mirror.url, '/packages/resnet/1.0.0'), (s) => s === 200);
    const [o, m] = await Promise.all([call(origin.url, '/packages/resnet/1.0.0/download'), call(mirror.url, '/packages/resnet/1.0.0/download')]);
    const got = Buffer.from(await m.arrayBuffer());
    expect(sha256(got)).toBe(sha256(bytes));
    expect(`sha256:${sha256(got)}`).toBe(digest);
    for (const h of ['etag', 'cache-control', 'accept-ranges', 'content-length', 'content-type']) expect(m.headers.get(h), h).toBe(o.headers.get(h));
    expect(m.headers.get('etag')).toBe(`"${digest}"`);
    expect(m.headers.get('cache-control')).toContain('public');
    const ranged = await call(mirror.url, '/packages/resnet/1.0.0/download', { headers: { range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(10, 20));
    const notModified = await call(mirror.url, '/packages/resnet/1.0.0/download', { headers: { 'if-none-match': `"${digest}"` } });
    expect(notModified.status).toBe(304);
    // An origin token sent to the mirror is ignored, not refused.
    expect((await call(mirror.url, '/packages/resnet/1.0.0', { headers: auth() })).status).toBe(200);

    const [ov, mv] = await Promise.all([(await call(origin.url, '/packages/resnet/1.0.0')).json(), (await call(mirror.url, '/packages/resnet/1.0.0')).json()]);
    expect({ ...mv, downloads: null }).toEqual({ ...ov, downloads: null });
    const search = await (await call(mirror.url, '/search?q=resnet')).json();
    expect(search.packages.map((p: { name: string }) => p.name)).toEqual(['resnet']);

    const h = await caughtUp();
    const originHead = (await (await call(origin.url, '/health')).json()).feed.head;
    expect(h).toMatchObject({ status: 'ok', role: 'mirror', upstream: origin.url, load: { active_requests: expect.any(Number) } });
    expect(h.feed).toMatchObject({ position: originHead, head: originHead, lag_changes: 0, lag_seconds: 0, upstream_reachable: true });
    expect(h.bytes_held).toBe(bytes.length);
    expect(h.packages).toBe(1);
  }, 60_000);

  it('is read-only: mutating routes are 405/404', async () => {
    const put = await call(mirror.url, '/packages/resnet/9.9.9', { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect((await call(mirror.url, '/packages/resnet/1.0.0/yank', { method: 'POST' })).status).toBe(404);
    expect((await call(mirror.url, '/packages/resnet', { method: 'DELETE' })).status).toBe(405);
    expect((await call(mirror.url, '/users')).status).toBe(404);
    expect((await fetch(`${mirror.url}/`)).status).toBe(404);
  });

  it('a private package never reaches the mirror', async () => {
    await caughtUp();
    expect(await status(mirror.url, '/packages/secret-model')).toBe(404);
    expect(await status(mirror.url, '/packages/secret-model/1.0.0/download')).toBe(404);
    expect((await health()).packages).toBe(1);
  });

  it('yank, unyank, channel moves, version and package deletes propagate; a package turning private is dropped, turning public is fetched', async () => {
    await publish('bert', '1.0.0');
    await publish('bert', '1.1.0');
    const put = (p: string, body: unknown) => call(origin.url, p, { method: 'PUT', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('/packages/bert/channels/stable', { version: '1.0.0' })).status).toBe(200);
    expect((await call(origin.url, '/packages/bert/1.1.0/yank', { method: 'POST', headers: auth() })).status).toBe(200);
    const bert = () => call(mirror.url, '/packages/bert').then((r) => (r.ok ? r.json() : null));
    await eventually('yank on the mirror', bert, (p) => p?.versions.find((v: { version: string }) => v.version === '1.1.0')?.yanked === true);
    const channels = await (await call(mirror.url, '/packages/bert/channels')).json();
    expect(channels.channels.map((c: { name: string; version: string }) => [c.name, c.version])).toEqual([['stable', '1.0.0']]);
    expect((await (await call(mirror.url, '/packages/bert/stable')).json()).version).toBe('1.0.0');

    expect((await call(origin.url, '/packages/bert/1.1.0/yank', { method: 'DELETE', headers: auth() })).status).toBe(200);
    expect((await put('/packages/bert/channels/stable', { version: '1.1.0' })).status).toBe(200);
    await eventually('channel move on the mirror', () => call(mirror.url, '/packages/bert/stable').then((r) => r.json()), (v) => v.version === '1.1.0' && v.yanked === false);

    expect((await call(origin.url, '/packages/bert/1.0.0', { method: 'DELETE', headers: auth() })).status).toBe(200);
    await eventually('version delete on the mirror', () => status(mirror.url, '/packages/bert/1.0.0'), (s) => s === 404);
    expect((await bert()).versions.map((v: { version: string }) => v.version)).toEqual(['1.1.0']);

    const access = (name: string, visibility: string) =>
      call(origin.url, `/packages/${name}/access`, { method: 'PATCH', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ visibility }) });
    expect((await access('bert', 'private')).status).toBe(200);
    await eventually('bert dropped when private', () => status(mirror.url, '/packages/bert'), (s) => s === 404);
    expect((await access('bert', 'public')).status).toBe(200);
    await eventually('bert back when public', () => status(mirror.url, '/packages/bert/1.1.0/download'), (s) => s === 200);

    expect((await call(origin.url, '/packages/bert', { method: 'DELETE', headers: auth() })).status).toBe(200);
    await eventually('package delete on the mirror', () => status(mirror.url, '/packages/bert'), (s) => s === 404);
  }, 60_000);

  it('a signed version is exposed only when its signature verifies with the upstream key', async () => {
    const key = generateSigningKey();
    const challenge = (await (await call(origin.url, '/keys/challenge', { method: 'POST', headers: auth() })).json()).challenge;
    const reg = await call(origin.url, '/keys', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', public_key: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) }),
    });
    expect(reg.status).toBe(201);
    const good = await fs.readFile(await writeSamplePackage({ name: 'signed', version: '1.0.0' }));
    await publish('signed', '1.0.0', { bytes: good, headers: { 'x-torsh-signature': signDigest(key.privateKeyPem, sha256(good)), 'x-torsh-key-id': key.keyId } });
    const bad = await fs.readFile(await writeSamplePackage({ name: 'signed', version: '1.1.0' }));
    // Signed over other bytes: the origin keeps it (marked invalid) as its policy allows; the mirror must not expose it.
    await publish('signed', '1.1.0', { bytes: bad, headers: { 'x-torsh-signature': signDigest(key.privateKeyPem, sha256(good)), 'x-torsh-key-id': key.keyId } });
    expect((await (await call(origin.url, '/packages/signed/1.1.0')).json()).signature.status).toBe('invalid');
    await publish('signed', '1.2.0');
    await eventually('signed@1.2.0 on the mirror', () => status(mirror.url, '/packages/signed/1.2.0'), (s) => s === 200);
    const ok = await (await call(mirror.url, '/packages/signed/1.0.0')).json();
    expect(ok.signature).toMatchObject({ status: 'verified', key_id: key.keyId });
    expect(await status(mirror.url, '/packages/signed/1.1.0')).toBe(404);
    expect(await status(mirror.url, '/packages/signed/1.1.0/download')).toBe(404);
  }, 60_000);

  it('a mirror can follow another mirror (its own change feed and the upstream keys)', async () => {
    await publish('chained', '1.0.0');
    await eventually('chained on the first mirror', () => status(mirror.url, '/packages/chained/1.0.0'), (s) => s === 200);
    await caughtUp();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mm2-'));
    const second = await startRole(['--role', 'mirror', '--upstream', mirror.url, '--data', dir], mirrorEnv);
    try {
      await eventually('chained on the second mirror', () => status(second.url, '/packages/chained/1.0.0/download'), (s) => s === 200);
      await eventually('second mirror caught up', async () => (await call(second.url, '/health')).json(), (h) => h.feed.upstream_reachable && h.feed.head > 0 && h.feed.position >= h.feed.head);
      const names = async (base: string) => ((await (await call(base, '/search?per_page=100')).json()).packages as { name: string }[]).map((p) => p.name).sort();
      expect(await names(second.url)).toEqual(await names(mirror.url));
      const [a, b] = await Promise.all([call(mirror.url, '/packages/chained/1.0.0/download'), call(second.url, '/packages/chained/1.0.0/download')]);
      expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
      expect(Buffer.from(await b.arrayBuffer())).toEqual(Buffer.from(await a.arrayBuffer()));
      if ((await status(mirror.url, '/packages/signed/1.0.0')) === 200) {
        // After the signature test: the signed version verifies with the keys the first mirror passes on.
        expect((await (await call(second.url, '/packages/signed/1.0.0')).json()).signature.status).toBe('verified');
        expect(await status(second.url, '/packages/signed/1.1.0')).toBe(404);
      }
      expect(await status(second.url, '/packages/secret-model')).toBe(404);
      // SIGTERM while its long-poll is held: a clean, prompt exit.
      const stopping = Date.now();
      await second.stop();
      expect(second.proc.exitCode).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(5000);
    } finally {
      await second.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a damaged blob on the mirror is found by the scrub and fetched again', async () => {
    const { digest, bytes } = await publish('scrubbed', '1.0.0');
    await eventually('scrubbed on the mirror', () => status(mirror.url, '/packages/scrubbed/1.0.0'), (s) => s === 200);
    const hex = digest.slice('sha256:'.length);
    const file = path.join(mirrorDir, 'blobs', hex.slice(0, 2), hex.slice(2, 4), hex);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length >> 1] ^= 0xff;
    await fs.writeFile(file, damaged);
    expect(sha256(await fs.readFile(file))).not.toBe(hex);
    // TORSH_MIRROR_SCRUB_CRON is every second in this test.
    await eventually('blob repaired', async () => sha256(await fs.readFile(file)), (h) => h === hex, 15_000);
    const served = Buffer.from(await (await call(mirror.url, '/packages/scrubbed/1.0.0/download')).arrayBuffer());
    expect(sha256(served)).toBe(hex);
  }, 60_000);

  it('SIGKILL mid-sync: the restarted mirror resumes from its position and ends byte-identical', async () => {
    await caughtUp();
    await mirror.stop();
    const published: { name: string; digest: string }[] = [];
    for (let i = 0; i < 8; i++) published.push({ name: `big-${i}`, digest: (await publish(`big-${i}`, '1.0.0', { big: 12 * 1024 * 1024 })).digest });
    const head = (await (await call(origin.url, '/health')).json()).feed.head;
    mirror = await startRole(['--role', 'mirror', '--upstream', origin.url, '--data', mirrorDir, '--port', String(mirror.port)], { ...mirrorEnv, TORSH_MIRROR_CONCURRENCY: '1' });
    const mid = await eventually('some but not all applied', health, (h) => h.feed.head === head && h.versions >= 5, 30_000);
    await mirror.stop('SIGKILL');
    expect(mid.feed.position).toBeLessThan(head);
    mirror = await startRole(['--role', 'mirror', '--upstream', origin.url, '--data', mirrorDir, '--port', String(mirror.port)], mirrorEnv);
    const resumed = await health();
    expect(resumed.feed.position).toBeGreaterThanOrEqual(mid.feed.position);
    await eventually('all applied', health, (h) => h.feed.position === head, 60_000);
    for (const p of published) {
      const got = Buffer.from(await (await call(mirror.url, `/packages/${p.name}/1.0.0/download`)).arrayBuffer());
      expect(`sha256:${sha256(got)}`).toBe(p.digest);
    }
  }, 120_000);

  it('with the upstream gone it keeps serving and its lag grows', async () => {
    const { bytes } = await publish('survivor', '1.0.0');
    await eventually('survivor on the mirror', () => status(mirror.url, '/packages/survivor/1.0.0'), (s) => s === 200);
    await caughtUp();
    await origin.stop();
    const first = await eventually('upstream unreachable', health, (h) => h.feed.upstream_reachable === false);
    // It was caught up until the line dropped: the lag counts from then, not from its last long-poll round.
    expect(first.feed.lag_seconds).toBeLessThan(5);
    expect(first.feed.lag_changes).toBe(0);
    const later = await eventually('lag grows', health, (h) => h.feed.lag_seconds > first.feed.lag_seconds + 0.5);
    expect(later.feed.lag_seconds).toBeGreaterThan(0);
    const got = await call(mirror.url, '/packages/survivor/1.0.0/download');
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes);
    expect((await call(mirror.url, '/search?q=survivor')).status).toBe(200);
  }, 60_000);
});
