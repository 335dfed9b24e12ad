import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSamplePackage } from '../engine/format/test-support/sample-package';
import { adminToken, startRole, type RoleProcess } from '../server/test-support/role-process';
import { EXIT } from './exit-codes';
import { listenOnLoopback } from './test-support/loopback';
import { deadUrl, serveBytes, serveCorrupted, startMirror, type TestMirror } from './test-support/mirrors';
import { cliHome, removeHomes, runTorsh } from './test-support/run-torsh';

// The CLI binary against a real origin process (`torsh serve --role origin`). The locations route
// is answered by a thin front that forwards everything else to the origin, naming a dead, a silent
// and a corrupting mirror before a good one.

const PASSWORD = 'pass-word-123';
let origin: RoleProcess;
let front: { url: string; close: () => Promise<void> };
let token: string;
let bytes: Buffer;
let digest: string;
const mirrors: TestMirror[] = [];
let good: TestMirror;
let locations: { url: string; kind: string; id: number | null; region: string | null }[];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-failover-origin-'));
  origin = await startRole(['--role', 'origin', '--data', dir], { TORSH_ADMIN_PASSWORD: PASSWORD });
  token = await adminToken(origin.url, PASSWORD);
  const file = await writeSamplePackage({ name: 'vision', version: '2.0.0' });
  const published = await runTorsh(['publish', file, '--registry', origin.url, '--token', token], { env: cliHome().env });
  expect(published.code, published.stderr).toBe(EXIT.OK);
  bytes = await readFile(file);
  digest = createHash('sha256').update(bytes).digest('hex');

  const dl = (base: string) => `${base}/api/v1/packages/vision/2.0.0/download`;
  const dead = await deadUrl();
  const silent = await startMirror(() => undefined);
  const corrupt = await startMirror(serveCorrupted(bytes, digest));
  good = await startMirror(serveBytes(bytes, digest));
  mirrors.push(silent, corrupt, good);
  locations = [
    { url: dl(dead), kind: 'mirror', id: 1, region: 'us-east' },
    { url: dl(silent.url), kind: 'mirror', id: 2, region: 'us-east' },
    { url: dl(corrupt.url), kind: 'edge', id: 1, region: 'eu-west' },
    { url: dl(good.url), kind: 'mirror', id: 3, region: 'eu-west' },
    { url: dl(origin.url), kind: 'origin', id: null, region: null },
  ];
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/packages/vision/2.0.0/locations')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ name: 'vision', version: '2.0.0', digest: `sha256:${digest}`, size: bytes.length, strategy: 'priority', region: null, locations }));
    }
    const upstream = http.request(`${origin.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  front = await listenOnLoopback(server);
}, 90_000);

afterAll(async () => {
  for (const m of mirrors) await m.close();
  await front?.close();
  await origin?.stop();
  removeHomes();
});

it('fails over past a dead, a silent and a corrupting location to a good mirror, then to the registry when that one dies', async () => {
  const { dir, env } = cliHome();
  const args = ['download', 'vision@2.0.0', '--registry', front.url, '--token', token, '--attempt-timeout', '500', '--max-retries', '0', '--no-cache'];
  const first = await runTorsh([...args, '-o', path.join(dir, 'a.torshpkg'), '--json'], { env });
  expect(first.code, first.stderr).toBe(EXIT.OK);
  const result = JSON.parse(first.stdout);
  expect(result.source).toEqual({ url: locations[3].url, kind: 'mirror', id: 3, region: 'eu-west' });
  expect(result.failed_over.map((f: { url: string }) => f.url)).toEqual(locations.slice(0, 3).map((l) => l.url));
  expect(result.digest).toBe(`sha256:${digest}`);
  expect((await readFile(path.join(dir, 'a.torshpkg'))).equals(bytes)).toBe(true);
  for (const m of mirrors) for (const h of m.requests) expect(h.authorization).toBeUndefined();

  await good.close();
  const second = await runTorsh([...args, '-o', path.join(dir, 'b.torshpkg')], { env });
  expect(second.code, second.stderr).toBe(EXIT.OK);
  expect(second.stderr).toContain(`served by ${front.url}/api/v1/packages/vision/2.0.0/download (origin)\n`);
  expect(second.stderr).toMatch(/\(mirror eu-west\) failed: cannot reach the server at .*connection refused/);
  expect((await readFile(path.join(dir, 'b.torshpkg'))).equals(bytes)).toBe(true);
}, 60_000);
