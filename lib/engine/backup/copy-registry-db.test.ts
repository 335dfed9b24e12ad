import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { collectGarbage, deleteVersion } from '../registry';
import { tempEngine } from '../test-support/temp-engine';
import { publishSample } from '../test-support/registry-fixtures';
import { copyRegistryDb } from './copy-registry-db';
import { dumpTables } from './test-support/snapshot-repo';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine();
  for (const version of ['1.0.0', '2.0.0']) {
    await publishSample(engine, 'resnet', version, { actor: SYSTEM });
  }
});
afterEach(() => engine.cleanup());

const holds = () => engine.db.$client.prepare('SELECT digest FROM blob_holds').pluck().all() as string[];

it('a version deleted (and its blob collected) between the copy and its holds: the copy is taken again, without it', async () => {
  const copy = await copyRegistryDb(engine.dataDir, engine.now, {
    afterCopy: async (attempt) => {
      if (attempt !== 1) return;
      deleteVersion(engine, SYSTEM, { name: 'resnet', version: '1.0.0' });
      expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 1 });
    },
  });
  try {
    expect(copy.blobs).toHaveLength(1);
    expect(await engine.blobs.stat(copy.blobs[0].digest)).not.toBeNull();
    expect(holds()).toEqual([copy.blobs[0].digest]);
    const tables = dumpTables(copy.file);
    expect(tables.versions).toHaveLength(1);
    expect(tables.tombstones).toHaveLength(1);
  } finally {
    await copy.release();
  }
  expect(holds()).toEqual([]);
  expect((await readdir(path.join(engine.dataDir, 'tmp'))).filter((n) => n.startsWith('backup-'))).toEqual([]);
});

it('a self-contained copy (no -wal beside it) and nothing left once released', async () => {
  const copy = await copyRegistryDb(engine.dataDir, engine.now);
  expect(copy.blobs).toHaveLength(2);
  expect(holds().sort()).toEqual(copy.blobs.map((b) => b.digest).sort());
  expect((await readdir(path.dirname(copy.file))).filter((n) => n.startsWith(path.basename(copy.file)))).toEqual([path.basename(copy.file)]);
  await copy.release();
  expect(holds()).toEqual([]);
  expect((await readdir(path.join(engine.dataDir, 'tmp'))).filter((n) => n.startsWith('backup-'))).toEqual([]);
});

it('a directory without a registry database is refused', async () => {
  await expect(copyRegistryDb(path.join(engine.dataDir, 'nope'), engine.now)).rejects.toMatchObject({ code: 'NOT_A_REGISTRY' });
});
