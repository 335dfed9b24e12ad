import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { metricEvents } from '@/db/schema';
import { downloadTotals } from '../metrics/download-counts';
import { createReadStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setVisibility } from '../access/manage-package-access';
import { ANONYMOUS, SYSTEM } from '../actor';
import type { Engine } from '../engine';
import { publishVersion, setChannel } from '../registry';
import { encryptFile } from '../security/encryption/files';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { checkHubPath, commitOf, findHubEntry, hubEntries, hubEtag, recordHubDownload, hubErrorName, hubRepoFor, modelInfoView, openHubFile, pathsInfoView, resolveHubRevision, treeView } from '.';

const weights = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const config = Buffer.from(JSON.stringify({ layers: Array.from({ length: 2000 }, (_, i) => i) }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('Hugging Face Hub engine', () => {
  let engine: Engine & { cleanup(): Promise<void> };
  beforeEach(async () => {
    engine = await tempEngine();
    const files = [
      { path: 'models/model.bin', source: weights, metadata: { framework: 'torsh' } },
      { path: 'config/config.json', source: config, compress: true },
    ];
    await publishSample(engine, 'resnet', '1.0.0', { files });
    await publishSample(engine, 'resnet', '1.1.0', { files });
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'production', version: '1.0.0' });
  });
  afterEach(() => engine.cleanup());

  it('maps torsh/<name> and the bare name; other namespaces, unknown and invisible packages are RepoNotFound', () => {
    expect(hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet').id).toBe('torsh/resnet');
    expect(hubRepoFor(engine, ANONYMOUS, null, 'resnet').id).toBe('torsh/resnet');
    for (const [ns, name] of [['other', 'resnet'], ['torsh', 'nope'], ['torsh', 'Bad Name!']] as const) {
      expect(hubErrorName(caught(() => hubRepoFor(engine, ANONYMOUS, ns, name)))).toBe('RepoNotFound');
    }
    setVisibility(engine, { name: 'resnet', visibility: 'private' });
    expect(hubErrorName(caught(() => hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet')))).toBe('RepoNotFound');
    expect(hubRepoFor(engine, SYSTEM, 'torsh', 'resnet').pkg.visibility).toBe('private');
  });

  it('resolves versions, channels, latest, main and commit ids; anything else is RevisionNotFound', () => {
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet');
    const v100 = resolveHubRevision(engine, repo, '1.0.0');
    expect(v100.commit).toBe(v100.row.digest.slice(0, 40));
    expect(resolveHubRevision(engine, repo, 'production').row.version).toBe('1.0.0');
    expect(resolveHubRevision(engine, repo, 'main').row.version).toBe('1.1.0');
    expect(resolveHubRevision(engine, repo, 'latest').row.version).toBe('1.1.0');
    for (const alias of ['HEAD', 'refs/heads/main']) expect(resolveHubRevision(engine, repo, alias).row.version).toBe('1.1.0');
    expect(resolveHubRevision(engine, repo, commitOf(v100.row)).row.version).toBe('1.0.0');
    for (const rev of ['2.0.0', 'staging', 'a'.repeat(40), '../x']) {
      expect(hubErrorName(caught(() => resolveHubRevision(engine, repo, rev)))).toBe('RevisionNotFound');
    }
  });

  it('lists every entry with size, sha256 and where it lies; serves stored and deflated bytes, whole and by range', async () => {
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet');
    const rev = resolveHubRevision(engine, repo, 'main');
    const entries = await hubEntries(engine, rev.row);
    expect(entries.map((e) => e.path)).toEqual(['MANIFEST.json', 'config/config.json', 'models/model.bin', 'models/model.bin.metadata']);
    const model = findHubEntry(repo, entries, 'models/model.bin');
    expect(model).toMatchObject({ size: weights.length, sha256: sha(weights), method: 'stored', lfs: { oid: sha(weights), size: weights.length } });
    const cfg = findHubEntry(repo, entries, 'config/config.json');
    expect(cfg).toMatchObject({ size: config.length, sha256: sha(config), method: 'deflate', lfs: null });
    expect(cfg.compressedSize).toBeLessThan(config.length);
    expect([hubEtag(model), hubEtag(cfg)]).toEqual([sha(weights), cfg.gitOid]);
    expect(cfg.gitOid).toBe(createHash('sha1').update(`blob ${config.length}\0`).update(config).digest('hex'));
    for (const e of entries) expect(sha(await read(await openHubFile(engine, rev.row, e)))).toBe(e.sha256);

    expect(sha(await read(await openHubFile(engine, rev.row, model)))).toBe(sha(weights));
    expect(sha(await read(await openHubFile(engine, rev.row, cfg)))).toBe(sha(config));
    expect(sha(await read(await openHubFile(engine, rev.row, model, { start: 0, end: 0 })))).toBe(sha(weights.subarray(0, 1)));
    expect(sha(await read(await openHubFile(engine, rev.row, model, { start: 1000, end: 150_000 })))).toBe(sha(weights.subarray(1000, 150_001)));
    expect(sha(await read(await openHubFile(engine, rev.row, cfg, { start: 5000, end: 8000 })))).toBe(sha(config.subarray(5000, 8001)));
    await expect(openHubFile(engine, rev.row, cfg, { start: 0, end: config.length })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    expect(await hubEntries(engine, rev.row)).toBe(entries); // cached by digest
  });

  it('answers tree, paths-info and model info in the Hub shapes', async () => {
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet');
    const rev = resolveHubRevision(engine, repo, 'production');
    const entries = await hubEntries(engine, rev.row);
    const top = treeView(repo, rev, entries, '');
    expect(top.map((e) => [e.type, e.path])).toEqual([
      ['file', 'MANIFEST.json'],
      ['directory', 'config'],
      ['directory', 'models'],
    ]);
    const all = treeView(repo, rev, entries, '', { recursive: true });
    expect(all.filter((e) => e.type === 'file').map((e) => [e.path, e.size])).toEqual(entries.map((e) => [e.path, e.size]));
    const models = treeView(repo, rev, entries, 'models', { expand: true });
    expect(models.map((e) => e.path)).toEqual(['models/model.bin', 'models/model.bin.metadata']);
    expect(models[0]).toMatchObject({ type: 'file', lfs: { oid: sha(weights), size: weights.length }, lastCommit: { id: rev.commit } });
    expect(models[0].lfs!.pointerSize).toBeGreaterThan(100);
    expect(hubErrorName(caught(() => treeView(repo, rev, entries, 'weights')))).toBe('EntryNotFound');

    const info = pathsInfoView(repo, rev, entries, ['config/config.json', 'models', 'missing.txt']);
    expect(info.map((e) => [e.type, e.path])).toEqual([
      ['file', 'config/config.json'],
      ['directory', 'models'],
    ]);

    const model = modelInfoView(engine, ANONYMOUS, repo, rev, entries);
    expect(model).toMatchObject({ id: 'torsh/resnet', sha: rev.commit, private: false, siblings: entries.map((e) => ({ rfilename: e.path, size: e.size })) });
    expect(new Date(model.lastModified as string).getTime()).toBe(rev.row.publishedAt);
    expect(modelInfoView(engine, ANONYMOUS, repo, rev, entries, { expand: ['sha', 'private', 'nonsense'] })).toEqual({
      _id: expect.any(String),
      id: 'torsh/resnet',
      sha: rev.commit,
      private: false,
    });
  });

  it('refuses paths with .. or a leading /', async () => {
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet');
    const rev = resolveHubRevision(engine, repo, 'main');
    const entries = await hubEntries(engine, rev.row);
    for (const p of ['../etc/passwd', '/models/model.bin', 'models/../MANIFEST.json', 'models//model.bin']) {
      expect(caught(() => checkHubPath(p))).toMatchObject({ code: 'INVALID_INPUT' });
      expect(caught(() => findHubEntry(repo, entries, p))).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(hubErrorName(caught(() => findHubEntry(repo, entries, 'models/nope.bin')))).toBe('EntryNotFound');
  });

  it('serves an encrypted package as one opaque file: the package itself', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-hf-enc-'));
    const plain = await writeSamplePackage({ name: 'secret', version: '1.0.0', dir });
    const sealed = path.join(dir, 'secret.enc');
    await encryptFile(plain, sealed, 'a long test password', { log2N: 10, segmentSize: 1024 });
    await publishVersion(engine, SYSTEM, {
      name: 'secret',
      version: '1.0.0',
      encrypted: {},
      source: { kind: 'stream', body: createReadStream(sealed), contentLength: (await stat(sealed)).size },
    });
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'secret');
    const rev = resolveHubRevision(engine, repo, 'main');
    const entries = await hubEntries(engine, rev.row);
    expect(entries.map((e) => [e.path, e.size, e.sha256])).toEqual([['secret-1.0.0.torshpkg', rev.row.size, rev.row.digest]]);
    const bytes = await read(await openHubFile(engine, rev.row, entries[0]));
    expect(sha(bytes)).toBe(rev.row.digest);
  });

  it('reads an early range of a large deflated file (the stream ends once the range is out) and a range at its very end', async () => {
    const big = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `line ${i}\n`).join(''));
    await publishSample(engine, 'big', '1.0.0', { files: [{ path: 'config/big.txt', source: big, compress: true }] });
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'big');
    const rev = resolveHubRevision(engine, repo, 'main');
    const entry = findHubEntry(repo, await hubEntries(engine, rev.row), 'config/big.txt');
    expect(entry).toMatchObject({ method: 'deflate', size: big.length, sha256: sha(big), lfs: null });
    const head = await openHubFile(engine, rev.row, entry, { start: 10, end: 29 });
    expect((await read(head)).toString()).toBe(big.subarray(10, 30).toString());
    const end = big.length - 1;
    expect((await read(await openHubFile(engine, rev.row, entry, { start: end - 5, end }))).toString()).toBe(big.subarray(end - 5).toString());
  });

  it('answers under TORSH_HF_NAMESPACE when it is set', () => {
    const before = process.env.TORSH_HF_NAMESPACE;
    process.env.TORSH_HF_NAMESPACE = 'acme';
    try {
      expect(hubRepoFor(engine, ANONYMOUS, 'acme', 'resnet').id).toBe('acme/resnet');
      expect(hubErrorName(caught(() => hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet')))).toBe('RepoNotFound');
    } finally {
      if (before === undefined) delete process.env.TORSH_HF_NAMESPACE;
      else process.env.TORSH_HF_NAMESPACE = before;
    }
  });

  it('records a file download as a download event of the version, with the file', () => {
    const repo = hubRepoFor(engine, ANONYMOUS, 'torsh', 'resnet');
    const rev = resolveHubRevision(engine, repo, 'production');
    const ev = { status: 200, bytesSent: 10, durationMs: 3, isRange: false, completed: true, clientAddr: '127.0.0.1' };
    recordHubDownload(engine, repo, rev, 'models/model.bin', ev);
    recordHubDownload(engine, repo, rev, 'config/config.json', ev);
    engine.metrics.flush();
    expect(downloadTotals(engine, [`v:${rev.row.id}`]).get(`v:${rev.row.id}`)!.downloads).toBe(2);
    const details = engine.db.select({ detail: metricEvents.detail }).from(metricEvents).where(eq(metricEvents.series, 'download')).all();
    expect(details.map((d) => JSON.parse(d.detail!).file).sort()).toEqual(['config/config.json', 'models/model.bin']);
  });
});
