/** Forget, prune and verify on a repository in an S3 bucket (s3rver on loopback). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { applyRetention, planForget } from './forget';
import { listStoredChunks, pruneRepository } from './prune';
import { openRepoBackend } from './repo/open-backend';
import { chunkKey } from './repo/layout';
import { initRepository } from './repo/repository';
import { pieces, PASSWORD, writeTestSnapshot } from './test-support/retention-fixtures';
import { verifyRepository } from './verify';

let s3: S3rverHandle;
beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);
afterAll(() => s3?.stop());

async function storedBytes(repo: Parameters<typeof listStoredChunks>[0]): Promise<number> {
  let sum = 0;
  for (const size of (await listStoredChunks(repo)).values()) sum += size;
  return sum;
}

it('frees what the dry run says, then verifies; a deleted chunk object is named as missing', async () => {
  const backend = openRepoBackend({
    type: 's3',
    bucket: s3.bucket,
    prefix: 'b4/retention',
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: s3.credentials.accessKeyId,
    secretAccessKey: s3.credentials.secretAccessKey,
  });
  const repo = await initRepository(backend, PASSWORD);
  const base = pieces('s3-base', 3);
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const snaps = [];
  for (let i = 0; i < 3; i++) {
    snaps.push(await writeTestSnapshot(repo, { 'db/torsh.db': Buffer.concat([base, pieces(`s3-own-${i}`, 2)]) }, { time: t0 + i * 1000 }));
  }
  const plan = await planForget(repo, { keepLast: 1 }, t0 + 10_000);
  expect(plan.remove).toEqual([snaps[0].id, snaps[1].id]);
  expect(plan.freedChunks).toBe(4);
  const before = await storedBytes(repo);
  await applyRetention(repo, { keepLast: 1 }, t0 + 10_000);
  const report = await pruneRepository(repo);
  expect(report).toMatchObject({ removedChunks: 4, freedBytes: plan.freedBytes, orphanChunks: 0, indexFilesRewritten: 3 });
  expect(before - (await storedBytes(repo))).toBe(plan.freedBytes);
  expect(await verifyRepository(repo, { readData: true })).toMatchObject({ ok: true, snapshots: 1, chunksChecked: 5 });

  const gone = snaps[2].files[0].chunks[4];
  await backend.delete(chunkKey(gone));
  const broken = await verifyRepository(repo, { readData: false });
  expect(broken.damaged).toEqual([{ chunkId: gone, problem: 'missing', snapshots: [snaps[2].id], files: [{ snapshot: snaps[2].id, path: 'db/torsh.db' }] }]);
}, 60_000);
