import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { startAzurite, type Azurite } from '../../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../../storage/test-support/s3rver';
import { SNAPSHOT_VERSION, type RepoBackend, type RepoLocation } from '../types';
import { openRepoBackend } from './open-backend';
import { initRepository, openRepository } from './repository';
import { newSnapshotId } from './snapshot-files';
import { backendContract } from './test-support/backend-contract';

/** init, store chunks, write a snapshot, reopen with the password, read them back, lock. */
async function roundTrip(backend: RepoBackend): Promise<void> {
  const repo = await initRepository(backend, 'pw');
  const data = [randomBytes(20_000), Buffer.from('abc'.repeat(10_000))];
  const w = repo.openChunkWriter(await repo.loadIndex());
  const ids = [];
  for (const d of data) ids.push((await w.add(d)).id);
  expect((await w.finish()).newChunks).toBe(2);
  const id = newSnapshotId();
  await repo.writeSnapshot({
    version: SNAPSHOT_VERSION,
    id,
    time: 1,
    host: 'h',
    kind: 'registry',
    tags: [],
    description: null,
    recoveryPoint: null,
    package: null,
    source: '/d',
    files: [{ path: 'f', size: 50_000, chunks: ids, sha256: '' }],
    stats: { logicalBytes: 50_000, fileCount: 1, uniqueChunks: 2, newChunks: 2, newBytes: 0, durationMs: 0 },
  });
  const again = await openRepository(backend, 'pw');
  expect((await again.readSnapshot(id.slice(0, 10))).files[0].chunks).toEqual(ids);
  expect((await again.readChunk(ids[0])).equals(data[0])).toBe(true);
  expect((await again.readChunk(ids[1])).equals(data[1])).toBe(true);
  expect((await again.loadIndex()).count).toBe(2);
  expect(((await openRepository(backend, 'nope').catch((e) => e)) as AppError).code).toBe('BACKUP_WRONG_PASSWORD');
  const lock = await again.lock('exclusive', 'prune');
  expect(((await repo.lock('shared', 'backup').catch((e) => e)) as AppError).code).toBe('BACKUP_REPO_LOCKED');
  await lock.release();
}

describe('S3 repository backend (s3rver)', () => {
  let s3: S3rverHandle;
  let n = 0;
  const location = (over: Partial<Extract<RepoLocation, { type: 's3' }>> = {}): RepoLocation => ({
    type: 's3',
    bucket: s3.bucket,
    prefix: `repo${++n}/backups`,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: s3.credentials.accessKeyId,
    secretAccessKey: s3.credentials.secretAccessKey,
    ...over,
  });
  beforeAll(async () => {
    s3 = await startS3rver();
  }, 30_000);
  afterAll(() => s3?.stop());

  backendContract('s3', async () => openRepoBackend(location()));

  it('round trip', () => roundTrip(openRepoBackend(location())), 30_000);

  it('an unreachable endpoint or a missing bucket is BACKUP_REPO_UNAVAILABLE naming the location, never the secret', async () => {
    const down = openRepoBackend(location({ endpoint: 'http://127.0.0.1:1', secretAccessKey: 'SUPERSECRET' }));
    const err = (await down.get('config').catch((e) => e)) as AppError;
    expect(err.code).toBe('BACKUP_REPO_UNAVAILABLE');
    expect(err.message).toContain('127.0.0.1:1');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('SUPERSECRET');
    const noBucket = openRepoBackend(location({ bucket: 'no-such-bucket' }));
    const e2 = (await openRepository(noBucket, 'pw').catch((e) => e)) as AppError;
    expect(e2.code).toBe('BACKUP_REPO_UNAVAILABLE');
    expect(e2.message).toContain('no-such-bucket');
  }, 30_000);
});

describe('Azure repository backend (Azurite)', () => {
  let az: Azurite;
  let n = 0;
  const location = (): RepoLocation => ({ type: 'azure', container: az.container, prefix: `repo${++n}`, connectionString: az.connectionString });
  beforeAll(async () => {
    az = await startAzurite();
  }, 30_000);
  afterAll(() => az?.stop());

  backendContract('azure', async () => openRepoBackend(location()));

  it('round trip', () => roundTrip(openRepoBackend(location())), 30_000);

  it('a missing container is BACKUP_REPO_UNAVAILABLE, without the account key', async () => {
    const b = openRepoBackend({ type: 'azure', container: 'missing-container', prefix: '', connectionString: az.connectionString });
    const err = (await b.put('config', Buffer.from('{}')).catch((e) => e)) as AppError;
    expect(err.code).toBe('BACKUP_REPO_UNAVAILABLE');
    expect(err.message).toContain('missing-container');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(az.connectionString.split('AccountKey=')[1].split(';')[0]);
  }, 30_000);
});
