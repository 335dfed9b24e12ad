/** Retention on real registry snapshots: forget + prune free a deleted model's bytes; what is kept still restores. */
import { createHash, randomFillSync } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM, type Actor } from '../actor';
import { collectGarbage, deleteVersion } from '../registry';
import { publishSample } from '../test-support/registry-fixtures';
import { createRegistrySnapshot } from './create-snapshot';
import { applyRetention, planForget } from './forget';
import { pruneRepository } from './prune';
import { restoreRegistry } from './restore-registry';
import { dataUsage } from './test-support/retention-fixtures';
import { registryBackupFixture, type RegistryBackupFixture, type TestEngine, type TestRepo } from './test-support/registry-fixture';
import { verifyRepository } from './verify';

const MODEL = 2 << 20;
const T0 = Date.parse('2026-11-01T02:00:00Z');
const DAY = 86_400_000;

let engine: TestEngine;
let repo: TestRepo;
let alice: Actor;
let scratch: string;
let fixture: RegistryBackupFixture;

beforeEach(async () => {
  fixture = await registryBackupFixture('torsh-retention-');
  ({ engine, repo, alice, scratch } = fixture);
});
afterEach(() => fixture.cleanup());

const publish = (version: string, body: Buffer) => publishSample(engine, 'resnet', version, { actor: alice, files: [{ path: 'models/model.bin', source: body }] });

async function blobDigests(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.parentPath.includes('.tmp')) out.push(createHash('sha256').update(await readFile(path.join(e.parentPath, e.name))).digest('hex'));
  }
  return out.sort();
}

const snapshotAt = (time: number) => createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs, now: () => time }, {});

it("a deleted version's model is freed once no kept snapshot holds it, exactly as the dry run said", async () => {
  await publish('1.0.0', randomFillSync(Buffer.alloc(MODEL)));
  const first = await snapshotAt(T0);
  await publish('2.0.0', randomFillSync(Buffer.alloc(MODEL)));
  deleteVersion(engine, SYSTEM, { name: 'resnet', version: '1.0.0' });
  await collectGarbage(engine);
  const second = await snapshotAt(T0 + DAY);

  const plan = await planForget(repo.repo, { keepDaily: 1 }, T0 + 2 * DAY);
  expect(plan.remove).toEqual([first.id]);
  expect(plan.freedBytes).toBeGreaterThan(MODEL * 0.9); // the 1.0.0 model, less what the database shares
  expect(plan.freedBytes).toBeLessThan(first.stats.newBytes);

  const before = await dataUsage(repo.dir);
  await applyRetention(repo.repo, { keepDaily: 1 }, T0 + 2 * DAY);
  const report = await pruneRepository(repo.repo);
  expect(before.bytes - (await dataUsage(repo.dir)).bytes).toBe(plan.freedBytes);
  expect(report).toMatchObject({ removedChunks: plan.freedChunks, freedBytes: plan.freedBytes, orphanChunks: 0 });

  expect(await verifyRepository(repo.repo, { readData: true })).toMatchObject({ ok: true, snapshots: 1 });
  const to = path.join(scratch, 'restored');
  await restoreRegistry(repo.repo, second.id, to);
  const live = await blobDigests(path.join(engine.dataDir, 'blobs'));
  expect(live.length).toBeGreaterThan(0);
  expect(await blobDigests(path.join(to, 'blobs'))).toEqual(live);
}, 60_000);
