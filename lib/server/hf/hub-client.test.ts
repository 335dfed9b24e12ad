import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { encryptFile } from '@/lib/engine/security/encryption/files';
import { publishVersion } from '@/lib/engine/registry';
import { ANONYMOUS } from '@/lib/engine/actor';
import { downloadFile, fileDownloadInfo, listFiles, modelInfo, pathsInfo, snapshotDownload } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setGrant, setVisibility } from '@/lib/engine/access/manage-package-access';
import { setChannel } from '@/lib/engine/registry/move-channel';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { createToken, revokeToken } from '@/lib/engine/access/tokens';
import { getUser } from '@/lib/engine/access/users';
import { SYSTEM } from '@/lib/engine/actor';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { rawRequest } from '../test-support/raw-request';
import { SESSION_COOKIE } from '../session-cookie';
import { createApiMatcher } from '../api-router';
import { createHttpServer } from '../http-server';
import type { AddressInfo } from 'node:net';

// The Hub client does the talking: every call below is @huggingface/hub against a started origin.
let t: ApiTestServer;
let token: string;
let session: string;
let cacheDir: string;
const weights = randomBytes(200_000);
const config = Buffer.from(JSON.stringify({ layers: Array.from({ length: 500 }, (_, i) => i) }));
const files = () => [
  { path: 'models/model.bin', source: weights, metadata: { dtype: 'float32' } },
  { path: 'config/config.json', source: config, compress: true },
];
let commit1: string;
let encrypted: Buffer;

beforeAll(async () => {
  t = await startApiTestServer();
  const v1 = await publishSample(t.engine, 'resnet', '1.0.0', { files: files() });
  await publishSample(t.engine, 'resnet', '1.1.0', { files: [{ path: 'models/model.bin', source: Buffer.from('v1.1 weights') }] });
  commit1 = v1.digest.replace(/^sha256:/, '').slice(0, 40);
  setChannel(t.engine, SYSTEM, { name: 'resnet', channel: 'production', version: '1.0.0' });
  await publishSample(t.engine, 'secret', '1.0.0', { files: files() });
  setVisibility(t.engine, { name: 'secret', visibility: 'private' });
  ({ token, session } = await t.user('alice', ['admin']));
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'hf-cache-'));
  const plain = path.join(cacheDir, 'plain.bin');
  await writeFile(plain, 'secret weights');
  await encryptFile(plain, `${plain}.enc`, 'hunter2-hunter2', { log2N: 12 });
  encrypted = await readFile(`${plain}.enc`);
  await publishVersion(t.engine, ANONYMOUS, { name: 'sealed', version: '1.0.0', source: { kind: 'stream', body: Readable.from([encrypted]), contentLength: encrypted.length }, encrypted: {} });
}, 60_000);

afterAll(async () => {
  await t?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

const repo = { type: 'model' as const, name: 'torsh/resnet' };

async function list(revision: string, extra: object = {}) {
  const out = [];
  for await (const e of listFiles({ repo, revision, recursive: true, hubUrl: t.url, ...extra })) out.push(e);
  return out;
}

describe('@huggingface/hub against the registry', () => {
  it('listFiles lists every entry with its size, weights as LFS with their sha256', async () => {
    const entries = await list('1.0.0');
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual(expect.arrayContaining(['MANIFEST.json', 'config', 'config/config.json', 'models', 'models/model.bin', 'models/model.bin.metadata']));
    expect(byPath.get('models/model.bin')).toMatchObject({ type: 'file', size: weights.length, lfs: { size: weights.length } });
    expect(byPath.get('models')?.type).toBe('directory');
    expect(byPath.get('config/config.json')).toMatchObject({ type: 'file', size: config.length });
  });

  it('downloadFile returns a stored and a deflated file byte for byte', async () => {
    const blob = await downloadFile({ repo, path: 'models/model.bin', revision: '1.0.0', hubUrl: t.url });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(weights)).toBe(true);
    const cfg = await downloadFile({ repo, path: 'config/config.json', revision: '1.0.0', hubUrl: t.url });
    expect(Buffer.from(await cfg!.arrayBuffer()).equals(config)).toBe(true);
  });

  it('fileDownloadInfo gives the size and an etag; a missing file is null', async () => {
    const info = await fileDownloadInfo({ repo, path: 'models/model.bin', revision: '1.0.0', hubUrl: t.url });
    expect(info?.size).toBe(weights.length);
    expect(info?.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await fileDownloadInfo({ repo, path: 'models/nope.bin', revision: '1.0.0', hubUrl: t.url })).toBeNull();
  });

  it('resolves revisions by version, channel, main and commit id', async () => {
    const get = async (revision: string) => Buffer.from(await (await downloadFile({ repo, path: 'models/model.bin', revision, hubUrl: t.url }))!.arrayBuffer());
    expect((await get('production')).equals(weights)).toBe(true);
    expect((await get(commit1)).equals(weights)).toBe(true);
    expect((await get('main')).toString()).toBe('v1.1 weights');
    expect((await get('1.1.0')).toString()).toBe('v1.1 weights');
  });

  it('modelInfo answers for the namespaced and the bare name', async () => {
    const info = await modelInfo({ name: 'torsh/resnet', hubUrl: t.url, additionalFields: ['sha', 'filePaths'] });
    expect(info).toMatchObject({ name: 'torsh/resnet', private: false });
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.filePaths).toContain('MANIFEST.json');
    expect((await modelInfo({ name: 'resnet', hubUrl: t.url })).name).toBe('torsh/resnet');
    expect((await modelInfo({ name: 'torsh/resnet', hubUrl: t.url, revision: '1.0.0', additionalFields: ['sha'] })).sha).toBe(commit1);
  });

  it('snapshotDownload writes every file byte-identically into the cache dir', async () => {
    const folder = await snapshotDownload({ repo, revision: 'production', hubUrl: t.url, cacheDir });
    expect(path.basename(folder)).toBe(commit1);
    expect((await readFile(path.join(folder, 'models/model.bin'))).equals(weights)).toBe(true);
    expect((await readFile(path.join(folder, 'config/config.json'))).equals(config)).toBe(true);
    expect(JSON.parse(await readFile(path.join(folder, 'MANIFEST.json'), 'utf8'))).toMatchObject({ name: 'resnet', version: '1.0.0' });
    for (const e of await list(commit1)) if (e.type === 'file') expect((await stat(path.join(folder, e.path))).size).toBe(e.size);
  });

  it('a private repo is 404 without a token and readable with an hf_-prefixed one', async () => {
    const secret = { type: 'model' as const, name: 'torsh/secret' };
    await expect(fileDownloadInfo({ repo: secret, path: 'models/model.bin', hubUrl: t.url })).rejects.toMatchObject({ statusCode: 404 });
    const blob = await downloadFile({ repo: secret, path: 'models/model.bin', hubUrl: t.url, accessToken: `hf_${token}` });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(weights)).toBe(true);
    expect((await modelInfo({ name: 'torsh/secret', hubUrl: t.url, accessToken: `hf_${token}` })).private).toBe(true);
    await expect(modelInfo({ name: 'torsh/secret', hubUrl: t.url, accessToken: 'hf_torsh_000000000000_bad' })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('a signed-in dashboard session reads a private repo too', async () => {
    const res = await fetch(`${t.url}/torsh/secret/resolve/main/models/model.bin`, { headers: { cookie: `${SESSION_COOKIE}=${session}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(weights)).toBe(true);
  });

  it('a server with a reduced route table (a mirror) leaves the Hub paths to its fallback', async () => {
    const server = createHttpServer({ match: createApiMatcher([]), fallback: async (_req, res) => void res.writeHead(418).end() });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      expect((await fetch(`http://127.0.0.1:${port}/torsh/resnet/resolve/main/MANIFEST.json`)).status).toBe(418);
      expect((await fetch(`http://127.0.0.1:${port}/api/models/torsh/resnet`)).status).toBe(418);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('unknown repo, revision and path give the Hub 404 with its X-Error-Code', async () => {
    const codeOf = async (p: string) => {
      const res = await fetch(t.url + p);
      return [res.status, res.headers.get('x-error-code'), typeof (await res.json()).error];
    };
    expect(await codeOf('/torsh/nope/resolve/main/MANIFEST.json')).toEqual([404, 'RepoNotFound', 'string']);
    expect(await codeOf('/other/resnet/resolve/main/MANIFEST.json')).toEqual([404, 'RepoNotFound', 'string']);
    expect(await codeOf('/torsh/resnet/resolve/9.9.9/MANIFEST.json')).toEqual([404, 'RevisionNotFound', 'string']);
    expect(await codeOf('/torsh/resnet/resolve/main/nope.json')).toEqual([404, 'EntryNotFound', 'string']);
    expect(await codeOf('/api/models/torsh/resnet/tree/main/nope')).toEqual([404, 'EntryNotFound', 'string']);
    await expect(modelInfo({ name: 'torsh/nope', hubUrl: t.url })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('pathsInfo answers exactly the listed paths that exist, with lastCommit when expanded', async () => {
    const info = await pathsInfo({ repo, paths: ['config/config.json', 'models', 'nope.txt'], revision: 'production', expand: true, hubUrl: t.url });
    expect(info.map((i) => [i.path, i.type])).toEqual([['config/config.json', 'file'], ['models', 'directory']]);
    expect(info[0]).toMatchObject({ size: config.length, lastCommit: { id: commit1 } });
    const bad = await fetch(`${t.url}/api/models/torsh/resnet/paths-info/main`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"paths": "x"}' });
    expect([bad.status, bad.headers.get('x-error-code')]).toEqual([400, 'BadRequest']);
  });

  it('a paths-info body over 1 MiB is 413 and too many paths are 400, before any lookup', async () => {
    const post = (body: string) => fetch(`${t.url}/api/models/torsh/resnet/paths-info/main`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const big = await post(JSON.stringify({ paths: ['x'.repeat(1024 * 1024)] }));
    expect([big.status, typeof (await big.json()).error]).toEqual([413, 'string']);
    const many = await post(JSON.stringify({ paths: Array.from({ length: 10_001 }, (_, i) => `f${i}`) }));
    expect([many.status, many.headers.get('x-error-code')]).toEqual([400, 'BadRequest']);
    const notJson = await post('{paths');
    expect([notJson.status, notJson.headers.get('x-error-code')]).toEqual([400, 'BadRequest']);
  });

  it('pages a tree of more than 1,000 entries with Link headers that listFiles follows, pinned to the commit', async () => {
    const many = Array.from({ length: 1005 }, (_, i) => ({ path: `config/f${String(i).padStart(4, '0')}.txt`, source: Buffer.from(`file ${i}`) }));
    const v = await publishSample(t.engine, 'wide', '1.0.0', { files: many });
    const commit = v.digest.replace(/^sha256:/, '').slice(0, 40);
    const first = await fetch(`${t.url}/api/models/torsh/wide/tree/main/config`);
    const page1 = (await first.json()) as { path: string }[];
    expect(page1).toHaveLength(1000);
    const link = first.headers.get('link')!;
    expect(link).toMatch(new RegExp(`^<${t.url}/api/models/torsh/wide/tree/${commit}/config\\?cursor=[A-Za-z0-9_-]+>; rel="next"$`));
    const page2 = (await (await fetch(link.slice(1, link.indexOf('>')))).json()) as { path: string }[];
    expect(page2.map((e) => e.path)).toEqual(many.slice(1000).map((f) => f.path));
    const listed = [];
    for await (const e of listFiles({ repo: { type: 'model', name: 'torsh/wide' }, recursive: true, hubUrl: t.url })) listed.push(e.path);
    expect(listed.filter((p) => p.startsWith('config/f'))).toEqual(many.map((f) => f.path));
    expect(new Set(listed).size).toBe(listed.length);
    // limit asks for smaller pages; a made-up cursor or one from another revision is refused.
    const small = await fetch(`${t.url}/api/models/torsh/wide/tree/main/config?limit=2`);
    expect(((await small.json()) as unknown[]).length).toBe(2);
    expect(small.headers.get('link')).toContain('limit=2');
    const badCursor = await fetch(`${t.url}/api/models/torsh/wide/tree/main/config?cursor=nope`);
    expect([badCursor.status, badCursor.headers.get('x-error-code')]).toEqual([400, 'BadRequest']);
    const cursor = new URL(link.slice(1, link.indexOf('>'))).searchParams.get('cursor')!;
    const otherRev = await fetch(`${t.url}/api/models/torsh/resnet/tree/main?cursor=${cursor}`);
    expect([otherRev.status, otherRev.headers.get('x-error-code')]).toEqual([400, 'BadRequest']);
    expect((await fetch(`${t.url}/api/models/torsh/wide/tree/main/config?limit=0`)).status).toBe(400);
  });

  it('a scoped token reads only with Download in its scopes; a revoked token is refused', async () => {
    // bob holds Download and ReadMetadata on the private repo by a grant; his tokens narrow that.
    const { id: bobId } = await t.user('bob', ['viewer']);
    setGrant(t.engine, { name: 'secret', username: 'bob', permissions: ['ReadMetadata', 'Download'] });
    const bob = actorForUser(t.engine, getUser(t.engine, bobId), { sessionId: 'test' });
    const metaOnly = createToken(t.engine, bob, { name: 'meta-only', scopes: ['ReadMetadata'] });
    const download = createToken(t.engine, bob, { name: 'download', scopes: ['Download'] });
    const secret = { type: 'model' as const, name: 'torsh/secret' };
    const get = (tok: string) => downloadFile({ repo: secret, path: 'models/model.bin', hubUrl: t.url, accessToken: `hf_${tok}` });
    // The metadata-only token sees the repo but may not download from it: 403, as on the package route.
    await expect(get(metaOnly.token)).rejects.toMatchObject({ statusCode: 403 });
    const viaPackageRoute = await fetch(`${t.url}/api/v1/packages/secret/1.0.0/download`, { headers: { authorization: `Bearer ${metaOnly.token}` } });
    expect(viaPackageRoute.status).toBe(403);
    const blob = await get(download.token);
    expect(Buffer.from(await blob!.arrayBuffer()).equals(weights)).toBe(true);
    // A Download-only token of an admin does not reach a private repo it holds no grant on.
    const { id: carolId } = await t.user('carol', ['admin']);
    const carol = actorForUser(t.engine, getUser(t.engine, carolId), { sessionId: 'test' });
    const carolScoped = createToken(t.engine, carol, { name: 'download', scopes: ['Download'] });
    await expect(get(carolScoped.token)).rejects.toMatchObject({ statusCode: 404 });
    revokeToken(t.engine, bob, download.id);
    await expect(get(download.token)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses .. and a leading / in a file path', async () => {
    // fetch would normalise the `..` away before sending: a raw request keeps it.
    const dots = await rawRequest(t.port, { method: 'GET', path: '/torsh/resnet/resolve/main/models/../MANIFEST.json', headers: {} });
    expect(dots.status).toBe(400);
    expect(dots.headers['x-error-code']).toBe('BadRequest');
    expect((await fetch(`${t.url}/torsh/resnet/resolve/main/%2Fetc%2Fpasswd`)).status).toBe(400);
    expect((await rawRequest(t.port, { method: 'GET', path: '/torsh/resnet/resolve/main/%2e%2e/x', headers: {} })).status).toBe(400);
  });

  it('Range on a stored and on a deflated entry returns the right bytes', async () => {
    const ranged = async (p: string, range: string) => {
      const res = await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/${p}`, { headers: { range } });
      return { status: res.status, contentRange: res.headers.get('content-range'), body: Buffer.from(await res.arrayBuffer()) };
    };
    const s = await ranged('models/model.bin', 'bytes=1000-1999');
    expect([s.status, s.contentRange]).toEqual([206, `bytes 1000-1999/${weights.length}`]);
    expect(s.body.equals(weights.subarray(1000, 2000))).toBe(true);
    const d = await ranged('config/config.json', 'bytes=100-');
    expect([d.status, d.contentRange]).toEqual([206, `bytes 100-${config.length - 1}/${config.length}`]);
    expect(d.body.equals(config.subarray(100))).toBe(true);
  });

  it('HEAD carries the headers without a body; If-None-Match answers 304', async () => {
    const head = await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/models/model.bin`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-linked-size')).toBe(String(weights.length));
    expect(head.headers.get('x-repo-commit')).toBe(commit1);
    expect(head.headers.get('content-length')).toBe(String(weights.length));
    const again = await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/models/model.bin`, { headers: { 'if-none-match': head.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('an encrypted package is one opaque file: the encrypted package itself', async () => {
    const sealed = { type: 'model' as const, name: 'torsh/sealed' };
    const entries = [];
    for await (const e of listFiles({ repo: sealed, recursive: true, hubUrl: t.url })) entries.push(e);
    expect(entries.map((e) => [e.path, e.size])).toEqual([['sealed-1.0.0.torshpkg', encrypted.length]]);
    const blob = await downloadFile({ repo: sealed, path: 'sealed-1.0.0.torshpkg', hubUrl: t.url });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(encrypted)).toBe(true);
  });

  it('records one download event of the version per file answer, not for the size probe', async () => {
    const events = () => {
      t.engine.metrics.flush();
      return t.engine.db.$client
        .prepare("SELECT dims, json_extract(detail, '$.file') AS file, bytes FROM metric_events WHERE series = 'download' AND json_extract(detail, '$.file') = 'config/config.json'")
        .all() as { dims: string; file: string; bytes: number }[];
    };
    const before = events().length;
    await fileDownloadInfo({ repo, path: 'config/config.json', revision: '1.0.0', hubUrl: t.url });
    expect(events().length).toBe(before);
    const res = await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/config/config.json`);
    await res.arrayBuffer();
    // The event is written when the server's side of the stream finishes, just after the client has every byte.
    const after = await vi.waitFor(() => {
      const now = events();
      expect(now.length).toBe(before + 1);
      return now;
    });
    expect(after.at(-1)!.bytes).toBe(config.length);
  });

  it('counts Hub answers in the API request metrics by route pattern, never by raw path', async () => {
    const apiRoutes = () => {
      t.engine.metrics.flush();
      return t.engine.db.$client.prepare("SELECT dims, status FROM metric_events WHERE series = 'api' AND dims LIKE '%resolve%'").all() as { dims: string; status: number }[];
    };
    const before = apiRoutes().length;
    await (await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/config/config.json`)).arrayBuffer();
    await (await fetch(`${t.url}/torsh/resnet/resolve/1.0.0/nope.json`)).arrayBuffer();
    const rows = await vi.waitFor(() => {
      const now = apiRoutes();
      expect(now.length).toBe(before + 2);
      return now.slice(before);
    });
    expect(rows.map((r) => [r.dims, r.status]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      [expect.stringContaining('route:GET /{repo}/resolve/{rev}/{path}'), 200],
      [expect.stringContaining('route:GET /{repo}/resolve/{rev}/{path}'), 404],
    ]);
    expect(rows.every((r) => !r.dims.includes('config.json') && !r.dims.includes('nope'))).toBe(true);
  });
});
