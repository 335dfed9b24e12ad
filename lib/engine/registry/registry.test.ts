import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ANONYMOUS } from '../actor';
import { writeRawZip } from '../format/test-support/craft-zip';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { diskFullAfter } from '../test-support/disk-full';
import { listBlobFiles, tempEngine } from '../test-support/temp-engine';
import {
  findDownload,
  getPackage,
  getStats,
  getVersion,
  openDownload,
  publishVersion,
  recordDownload,
  searchPackages,
  setYanked,
  toFtsQuery,
} from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function publishFile(engine: TestEngine, file: string, name: string, version: string) {
  const size = (await stat(file)).size;
  return publishVersion(engine, ANONYMOUS, { name, version, source: { kind: 'stream', body: createReadStream(file), contentLength: size } });
}

async function publishSample(engine: TestEngine, name: string, version: string, extra: Parameters<typeof writeSamplePackage>[0] | object = {}) {
  const file = await writeSamplePackage({ name, version, ...extra });
  return publishFile(engine, file, name, version);
}

function counts(engine: TestEngine) {
  const n = (t: string) => engine.db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${t}`)).n;
  return { packages: n('packages'), versions: n('versions'), resources: n('resources') };
}

describe('registry', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('publishes a package: blob by digest, version, resources, summary', async () => {
    const file = await writeSamplePackage({ name: 'resnet', version: '1.0.0', tags: ['vision', 'CNN'] });
    const bytes = await readFile(file);
    const res = await publishFile(engine, file, 'resnet', '1.0.0');
    expect(res).toEqual({ name: 'resnet', version: '1.0.0', digest: `sha256:${sha(bytes)}`, size: bytes.length });
    expect(await engine.blobs.stat(sha(bytes))).toEqual({ digest: sha(bytes), size: bytes.length });

    const pkg = getPackage(engine, 'resnet');
    expect(pkg).toMatchObject({ name: 'resnet', latest: '1.0.0', tags: ['vision', 'cnn'], description: 'resnet test model', author: 'Test Author', license: 'MIT' });
    const v = getVersion(engine, 'resnet', '1.0.0');
    expect(v.resources.map((r) => [r.path, r.type])).toEqual([
      ['config/config.json', 'Config'],
      ['models/model.bin', 'Model'],
    ]);
    expect(v.resources[1].sha256).toBe(sha(Buffer.from('weights of resnet@1.0.0')));
    expect(v.download_url).toBe('/api/v1/packages/resnet/1.0.0/download');
    expect(v.publisher).toBe('anonymous');
    expect(await listBlobFiles(engine)).toEqual([expect.stringMatching(new RegExp(`${sha(bytes)}$`))]);
  });

  it('refuses to publish an existing version (immutable) and keeps the original', async () => {
    const first = await publishSample(engine, 'bert', '1.0.0');
    const other = await writeSamplePackage({ name: 'bert', version: '1.0.0', description: 'different bytes' });
    await expect(publishFile(engine, other, 'bert', '1.0.0')).rejects.toMatchObject({ code: 'PACKAGE_VERSION_EXISTS' });
    expect(getVersion(engine, 'bert', '1.0.0').digest).toBe(first.digest);
    expect(counts(engine).versions).toBe(1);
  });

  it('lists versions in semver order and picks latest among non-yanked stable versions', async () => {
    for (const v of ['1.2.0', '1.10.0', '1.9.0', '2.0.0-rc.1', '0.9.0']) await publishSample(engine, 'gpt', v);
    const pkg = getPackage(engine, 'gpt');
    expect(pkg.versions.map((v) => v.version)).toEqual(['2.0.0-rc.1', '1.10.0', '1.9.0', '1.2.0', '0.9.0']);
    expect(pkg.latest).toBe('1.10.0');

    setYanked(engine, ANONYMOUS, { name: 'gpt', version: '1.10.0', yanked: true, reason: 'bad weights' });
    expect(getPackage(engine, 'gpt').latest).toBe('1.9.0');
    const yanked = getVersion(engine, 'gpt', '1.10.0');
    expect(yanked).toMatchObject({ yanked: true, yank_reason: 'bad weights' });
    expect(yanked.yanked_at).toBeTypeOf('number');

    setYanked(engine, ANONYMOUS, { name: 'gpt', version: '1.10.0', yanked: false });
    expect(getPackage(engine, 'gpt').latest).toBe('1.10.0');
    expect(getVersion(engine, 'gpt', '1.10.0')).toMatchObject({ yanked: false, yank_reason: null, yanked_at: null });
  });

  it('falls back to a prerelease, then to null, as versions are yanked', async () => {
    await publishSample(engine, 'vit', '1.0.0');
    await publishSample(engine, 'vit', '2.0.0-beta.1');
    setYanked(engine, ANONYMOUS, { name: 'vit', version: '1.0.0', yanked: true });
    expect(getPackage(engine, 'vit').latest).toBe('2.0.0-beta.1');
    setYanked(engine, ANONYMOUS, { name: 'vit', version: '2.0.0-beta.1', yanked: true });
    expect(getPackage(engine, 'vit').latest).toBeNull();
  });

  it.each([
    { name: 'Bad_Name', version: '1.0.0', code: 'INVALID_PACKAGE_NAME' },
    { name: '-lead', version: '1.0.0', code: 'INVALID_PACKAGE_NAME' },
    { name: 'ok', version: '1.0', code: 'INVALID_VERSION' },
    { name: 'ok', version: 'v1.0.0', code: 'INVALID_VERSION' },
  ])('rejects $name@$version with $code before reading the body', async ({ name, version, code }) => {
    await expect(publishVersion(engine, ANONYMOUS, { name, version, source: { kind: 'stream', body: Readable.from([Buffer.from('x')]) } })).rejects.toMatchObject({ code });
    expect(counts(engine)).toEqual({ packages: 0, versions: 0, resources: 0 });
  });

  it.each([
    { what: 'not a zip', make: async () => Buffer.from('this is not a zip archive at all') , code: 'PACKAGE_NOT_ZIP' },
    {
      what: 'manifest for another package',
      make: async () => readFile(await writeSamplePackage({ name: 'other', version: '1.0.0' })),
      code: 'MANIFEST_NAME_MISMATCH',
    },
    {
      what: 'manifest for another version',
      make: async () => readFile(await writeSamplePackage({ name: 'evil', version: '9.9.9' })),
      code: 'MANIFEST_VERSION_MISMATCH',
    },
    {
      what: 'path escaping the root',
      make: async () => {
        const file = await writeSamplePackage({ name: 'tmp', version: '1.0.0' });
        const out = `${file}.evil`;
        await writeRawZip(out, [
          { path: 'MANIFEST.json', data: Buffer.from(JSON.stringify({ name: 'evil', version: '1.0.0', format_version: '1.0.0', created_at: '2026-01-01T00:00:00Z' })) },
          { path: '../escape.bin', data: Buffer.from('x') },
        ]);
        return readFile(out);
      },
      code: 'ENTRY_PATH_UNSAFE',
    },
  ])('rejects a package that is $what ($code) and stores nothing', async ({ make, code }) => {
    const bytes = await make();
    await expect(
      publishVersion(engine, ANONYMOUS, { name: 'evil', version: '1.0.0', source: { kind: 'stream', body: Readable.from([bytes]), contentLength: bytes.length } }),
    ).rejects.toMatchObject({ code });
    expect(counts(engine)).toEqual({ packages: 0, versions: 0, resources: 0 });
    expect(await listBlobFiles(engine)).toEqual([]);
  });

  it('rejects a body over the limit (announced or actual) and stores nothing', async () => {
    const small = await tempEngine({ maxUploadBytes: 100 });
    try {
      await expect(
        publishVersion(small, ANONYMOUS, { name: 'big', version: '1.0.0', source: { kind: 'stream', body: Readable.from([Buffer.alloc(200)]), contentLength: 200 } }),
      ).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      await expect(
        publishVersion(small, ANONYMOUS, { name: 'big', version: '1.0.0', source: { kind: 'stream', body: Readable.from([Buffer.alloc(80), Buffer.alloc(80)]) } }),
      ).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      expect(await listBlobFiles(small)).toEqual([]);
    } finally {
      await small.cleanup();
    }
  });

  it('a disk that fills up while storing is INSUFFICIENT_STORAGE and leaves nothing half-stored', async () => {
    const full = await tempEngine({}, { blobs: (root) => createLocalBlobStore(root, { writeStream: diskFullAfter(1000) }) });
    try {
      const bytes = await readFile(await writeSamplePackage({ name: 'full', version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(5000, 7) }] }));
      await expect(
        publishVersion(full, ANONYMOUS, { name: 'full', version: '1.0.0', source: { kind: 'stream', body: Readable.from([bytes]), contentLength: bytes.length } }),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_STORAGE', message: expect.stringContaining('out of storage space') });
      expect(counts(full)).toEqual({ packages: 0, versions: 0, resources: 0 });
      expect(await listBlobFiles(full)).toEqual([]);
      expect(full.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM blob_holds`).n).toBe(0);
    } finally {
      await full.cleanup();
    }
  });

  it('an upload that breaks off midway leaves no version and no blob', async () => {
    const file = await writeSamplePackage({ name: 'cut', version: '1.0.0' });
    const bytes = await readFile(file);
    const body = new Readable({
      read() {
        this.push(bytes.subarray(0, 100));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(publishVersion(engine, ANONYMOUS, { name: 'cut', version: '1.0.0', source: { kind: 'stream', body, contentLength: bytes.length } })).rejects.toMatchObject({
      code: 'UPLOAD_ABORTED',
    });
    expect(counts(engine).versions).toBe(0);
    expect(await listBlobFiles(engine)).toEqual([]);
  });

  it('a body shorter than its Content-Length is an aborted upload', async () => {
    const bytes = await readFile(await writeSamplePackage({ name: 'short', version: '1.0.0' }));
    await expect(
      publishVersion(engine, ANONYMOUS, { name: 'short', version: '1.0.0', source: { kind: 'stream', body: Readable.from([bytes]), contentLength: bytes.length + 10 } }),
    ).rejects.toMatchObject({ code: 'UPLOAD_ABORTED' });
    expect(await listBlobFiles(engine)).toEqual([]);
  });

  it('404s for unknown packages and versions', () => {
    expect(() => getPackage(engine, 'nope')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(() => getVersion(engine, 'nope', '1.0.0')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });

  it('streams downloads and ranges from the blob', async () => {
    const file = await writeSamplePackage({ name: 'dl', version: '1.0.0' });
    const bytes = await readFile(file);
    await publishFile(engine, file, 'dl', '1.0.0');
    const target = findDownload(engine, 'dl', '1.0.0');
    expect(await buffer(await openDownload(engine, target))).toEqual(bytes);
    expect(await buffer(await openDownload(engine, target, { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
    await expect(openDownload(engine, target, { start: 0, end: bytes.length })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    expect(() => findDownload(engine, 'dl', '2.0.0')).toThrowError(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
  });

  it('counts full downloads per version and package; ranges and 304s are not downloads', async () => {
    await publishSample(engine, 'cnt', '1.0.0');
    const target = findDownload(engine, 'cnt', '1.0.0');
    const ev = { bytesSent: 10, durationMs: 1, completed: true, clientAddr: '127.0.0.1' };
    recordDownload(engine, target, { ...ev, status: 200, isRange: false });
    recordDownload(engine, target, { ...ev, status: 200, isRange: false });
    recordDownload(engine, target, { ...ev, status: 206, isRange: true });
    recordDownload(engine, target, { ...ev, status: 304, isRange: false, bytesSent: 0 });
    expect(getPackage(engine, 'cnt').downloads).toBe(2);
    expect(getVersion(engine, 'cnt', '1.0.0').downloads).toBe(2);
    const stats = getStats(engine, ANONYMOUS);
    expect(stats).toMatchObject({ packages: 1, versions: 1, downloads: 2, bytes_served: 30 });
    expect(stats.recent_versions[0]).toMatchObject({ name: 'cnt', version: '1.0.0' });
  });

  it('searches name, description, author and tags with prefix matching, ranked and paginated', async () => {
    await publishSample(engine, 'resnet-50', '1.0.0', { description: 'image classifier', tags: ['vision'] });
    await publishSample(engine, 'bert-base', '1.0.0', { description: 'language model for text', author: 'Google Research' });
    await publishSample(engine, 'whisper', '1.0.0', { description: 'speech recognition', tags: ['audio', 'asr'] });
    await publishSample(engine, 'clip', '1.0.0', { description: 'joint vision and text embeddings, unlike resnet' });

    const names = (q: string) => searchPackages(engine, ANONYMOUS, { q }).packages.map((p) => p.name);
    expect(names('resnet')).toEqual(['resnet-50', 'clip']); // name match ranks above a description mention
    expect(names('res')).toContain('resnet-50');
    expect(names('google')).toEqual(['bert-base']);
    expect(names('audio')).toEqual(['whisper']);
    expect(names('vision text')).toEqual(['clip']);
    expect(names('nothing-like-this')).toEqual([]);
    expect(names('"NEAR(* OR')).toEqual([]); // FTS syntax is treated as text, never an error

    const all = searchPackages(engine, ANONYMOUS, { q: '', page: 1, perPage: 3 });
    expect(all.total).toBe(4);
    expect(all.packages).toHaveLength(3);
    const page2 = searchPackages(engine, ANONYMOUS, { q: '', page: 2, perPage: 3 });
    expect(page2.packages).toHaveLength(1);
    expect(new Set([...all.packages, ...page2.packages].map((p) => p.name)).size).toBe(4);
    expect(all.packages[0]).toMatchObject({ latest: '1.0.0', downloads: 0 });
    expect(all.packages[0].size).toBeGreaterThan(0);
  });

  it('search reflects a yank that changes the description shown', async () => {
    await publishSample(engine, 'llama', '1.0.0', { description: 'original weights' });
    await publishSample(engine, 'llama', '2.0.0', { description: 'quantized weights' });
    expect(searchPackages(engine, ANONYMOUS, { q: 'quantized' }).total).toBe(1);
    setYanked(engine, ANONYMOUS, { name: 'llama', version: '2.0.0', yanked: true });
    expect(searchPackages(engine, ANONYMOUS, { q: 'quantized' }).total).toBe(0);
    expect(searchPackages(engine, ANONYMOUS, { q: 'original' }).total).toBe(1);
  });

  it('builds safe FTS queries', () => {
    expect(toFtsQuery('ResNet-50 vision')).toBe('"resnet"* "50"* "vision"*');
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('"*)')).toBeNull();
  });
});

describe('registry listing', () => {
  it('shows the size of the latest version in listings', async () => {
    const engine = await tempEngine();
    try {
      await publishSample(engine, 'demo', '1.0.0');
      const second = await publishSample(engine, 'demo', '1.1.0', {
        files: [{ path: 'models/model.bin', source: Buffer.alloc(5000, 1) }],
      });
      const hit = searchPackages(engine, ANONYMOUS, {}).packages[0];
      expect(hit).toMatchObject({ name: 'demo', latest: '1.1.0', size: second.size });
      expect(searchPackages(engine, ANONYMOUS, { q: 'demo' }).packages[0].size).toBe(second.size);
    } finally {
      await engine.cleanup();
    }
  });
});
