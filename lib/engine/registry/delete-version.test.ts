import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootstrapAccounts } from '../access/bootstrap';
import { ANONYMOUS, SYSTEM } from '../actor';
import { publishSample, userActor } from '../test-support/registry-fixtures';
import { listBlobFiles, tempEngine } from '../test-support/temp-engine';
import { collectGarbage, deletePackage, deleteVersion, findDownload, getPackage, getVersion, listChannels, searchPackages, setChannel } from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const rows = <T>(engine: TestEngine, query: string) => engine.db.all<T>(sql.raw(query));
const count = (engine: TestEngine, table: string) => engine.db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)).n;

describe('delete', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('deletes a version: reads 404, latest and search move on, name@version is tombstoned, the feed says so', async () => {
    const admin = await userActor(engine, 'root', ['admin']);
    await publishSample(engine, 'resnet', '1.0.0', { description: 'first cut' });
    const second = await publishSample(engine, 'resnet', '2.0.0', { description: 'residual network v2' });
    expect(getPackage(engine, 'resnet').latest).toBe('2.0.0');

    expect(deleteVersion(engine, admin, { name: 'resnet', version: '2.0.0' })).toEqual({ name: 'resnet', version: '2.0.0', deleted: true });

    expect(() => getVersion(engine, 'resnet', '2.0.0')).toThrowError(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
    expect(() => findDownload(engine, 'resnet', '2.0.0')).toThrowError(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
    const pkg = getPackage(engine, 'resnet');
    expect(pkg.latest).toBe('1.0.0');
    expect(pkg.description).toBe('first cut');
    expect(pkg.versions.map((v) => v.version)).toEqual(['1.0.0']);
    expect(searchPackages(engine, ANONYMOUS, { q: 'residual' }).total).toBe(0);
    expect(searchPackages(engine, ANONYMOUS, { q: 'first' }).total).toBe(1);

    expect(rows(engine, 'SELECT package_name, version, digest, deleted_by FROM tombstones')).toEqual([
      { package_name: 'resnet', version: '2.0.0', digest: second.digest.slice(7), deleted_by: 'root' },
    ]);
    expect(rows(engine, "SELECT kind, name, version, digest, size FROM changes WHERE kind = 'delete'")).toEqual([
      { kind: 'delete', name: 'resnet', version: '2.0.0', digest: second.digest.slice(7), size: second.size },
    ]);
  });

  it('refuses to publish a deleted version again, with other bytes or the same, and stores nothing', async () => {
    await publishSample(engine, 'bert', '1.0.0');
    await publishSample(engine, 'bert', '1.1.0');
    deleteVersion(engine, SYSTEM, { name: 'bert', version: '1.0.0' });
    const versionsBefore = count(engine, 'versions');
    const blobsBefore = await listBlobFiles(engine);
    const today = new Date().toISOString().slice(0, 10);

    for (const description of ['bert test model', 'other bytes']) {
      await expect(publishSample(engine, 'bert', '1.0.0', { description })).rejects.toMatchObject({
        code: 'VERSION_TOMBSTONED',
        message: `bert@1.0.0 was deleted on ${today}; published versions are never reused`,
      });
    }
    expect(count(engine, 'versions')).toBe(versionsBefore);
    expect(await listBlobFiles(engine)).toEqual(blobsBefore);
    expect(rows(engine, "SELECT version FROM changes WHERE kind = 'publish' ORDER BY seq")).toEqual([{ version: '1.0.0' }, { version: '1.1.0' }]);
    // Other versions still publish.
    await expect(publishSample(engine, 'bert', '1.2.0')).resolves.toMatchObject({ version: '1.2.0' });
  });

  it('the database itself refuses a tombstoned name@version, whatever inserts it', async () => {
    await publishSample(engine, 'gpt', '1.0.0');
    deleteVersion(engine, SYSTEM, { name: 'gpt', version: '1.0.0' });
    const insert = () =>
      engine.db.run(sql`INSERT INTO versions (package_id, version, digest, size, format_version, manifest, published_at, publisher)
        SELECT id, '1.0.0', 'ab', 1, '1.0.0', '{}', 0, 'x' FROM packages WHERE name = 'gpt'`);
    expect(insert).toThrowError(expect.objectContaining({ cause: expect.objectContaining({ message: expect.stringMatching(/^VERSION_TOMBSTONED/) }) }));
    expect(count(engine, 'versions')).toBe(0);
  });

  it('removes the channels pointing at a deleted version, with history and feed rows', async () => {
    await publishSample(engine, 'vit', '1.0.0');
    await publishSample(engine, 'vit', '2.0.0');
    setChannel(engine, SYSTEM, { name: 'vit', channel: 'production', version: '2.0.0' });
    setChannel(engine, SYSTEM, { name: 'vit', channel: 'stable', version: '1.0.0' });
    const admin = await userActor(engine, 'root', ['admin']);
    deleteVersion(engine, admin, { name: 'vit', version: '2.0.0' });
    expect(listChannels(engine, 'vit').map((c) => c.name)).toEqual(['stable']);
    expect(rows(engine, "SELECT channel, from_version, to_version, moved_by FROM channel_history WHERE channel = 'production' ORDER BY id")).toEqual([
      { channel: 'production', from_version: null, to_version: '2.0.0', moved_by: 'system' },
      { channel: 'production', from_version: '2.0.0', to_version: null, moved_by: 'root' },
    ]);
    expect(() => findDownload(engine, 'vit', 'production')).toThrowError(expect.objectContaining({ code: 'CHANNEL_NOT_FOUND' }));
    expect(rows(engine, 'SELECT kind, version FROM changes ORDER BY seq').slice(-2)).toEqual([
      { kind: 'channel', version: null },
      { kind: 'delete', version: '2.0.0' },
    ]);
  });

  it('garbage collection frees the blob once no version references its digest, not before', async () => {
    const a = await publishSample(engine, 'twin-a', '1.0.0', { files: [{ path: 'models/model.bin', source: Buffer.from('same weights') }] });
    const b = await publishSample(engine, 'twin-b', '1.0.0', { files: [{ path: 'models/model.bin', source: Buffer.from('other weights') }] });
    deleteVersion(engine, SYSTEM, { name: 'twin-a', version: '1.0.0' });
    expect(await collectGarbage(engine, { tempGraceMs: 0 })).toMatchObject({ blobsRemoved: 1, bytesFreed: a.size });
    expect(await engine.blobs.stat(a.digest.slice(7))).toBeNull();
    expect(await engine.blobs.stat(b.digest.slice(7))).not.toBeNull();
  });

  it('keeps a blob another version still references', async () => {
    // The same bytes published under two versions' names is impossible (the manifest names the
    // version), so share a digest through a second package row pointing at the same blob.
    const a = await publishSample(engine, 'shared', '1.0.0');
    engine.db.run(sql`INSERT INTO packages (name, created_at, updated_at) VALUES ('alias', 0, 0)`);
    engine.db.run(sql`INSERT INTO versions (package_id, version, digest, size, format_version, manifest, published_at, publisher)
      SELECT (SELECT id FROM packages WHERE name = 'alias'), '1.0.0', digest, size, format_version, manifest, 0, 'x' FROM versions`);
    deleteVersion(engine, SYSTEM, { name: 'shared', version: '1.0.0' });
    expect(await collectGarbage(engine, { tempGraceMs: 0 })).toMatchObject({ blobsRemoved: 0 });
    expect(await engine.blobs.stat(a.digest.slice(7))).not.toBeNull();
  });

  it('deletes a whole package: every version tombstoned, the package row, its search row and channels gone', async () => {
    const owner = await userActor(engine, 'owner', ['contributor']);
    await publishSample(engine, 'whisper', '1.0.0', { actor: owner, description: 'speech model' });
    await publishSample(engine, 'whisper', '1.10.0', { actor: owner });
    await publishSample(engine, 'whisper', '1.9.0', { actor: owner });
    setChannel(engine, SYSTEM, { name: 'whisper', channel: 'stable', version: '1.9.0' });

    expect(deletePackage(engine, SYSTEM, 'whisper')).toEqual({ name: 'whisper', deleted_versions: ['1.0.0', '1.9.0', '1.10.0'] });

    expect(() => getPackage(engine, 'whisper')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(searchPackages(engine, ANONYMOUS, { q: 'speech' }).total).toBe(0);
    expect(rows(engine, "SELECT count(*) AS n FROM packages_fts WHERE packages_fts MATCH 'whisper'")).toEqual([{ n: 0 }]);
    for (const t of ['packages', 'versions', 'resources', 'channels', 'channel_history', 'package_owners', 'tags']) expect(count(engine, t), t).toBe(0);
    expect(rows(engine, 'SELECT version FROM tombstones ORDER BY version')).toEqual([{ version: '1.0.0' }, { version: '1.10.0' }, { version: '1.9.0' }]);
    expect(rows(engine, "SELECT version FROM changes WHERE kind = 'delete' ORDER BY seq")).toEqual([{ version: '1.0.0' }, { version: '1.9.0' }, { version: '1.10.0' }]);

    await expect(publishSample(engine, 'whisper', '1.9.0')).rejects.toMatchObject({ code: 'VERSION_TOMBSTONED' });
    // A new version may be published under the name again (tombstones are per version).
    await expect(publishSample(engine, 'whisper', '2.0.0')).resolves.toMatchObject({ version: '2.0.0' });
  });

  it('unknown or malformed coordinates are refused and nothing changes', async () => {
    await publishSample(engine, 'keep', '1.0.0');
    const before = ['versions', 'tombstones', 'changes', 'packages'].map((t) => count(engine, t));
    expect(() => deleteVersion(engine, SYSTEM, { name: 'keep', version: '9.9.9' })).toThrowError(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
    expect(() => deleteVersion(engine, SYSTEM, { name: 'nope', version: '1.0.0' })).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(() => deleteVersion(engine, SYSTEM, { name: 'keep', version: 'latest' })).toThrowError(expect.objectContaining({ code: 'INVALID_VERSION' }));
    expect(() => deletePackage(engine, SYSTEM, 'Bad Name')).toThrowError(expect.objectContaining({ code: 'INVALID_PACKAGE_NAME' }));
    expect(() => deletePackage(engine, SYSTEM, 'nope')).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(['versions', 'tombstones', 'changes', 'packages'].map((t) => count(engine, t))).toEqual(before);
  });
});
