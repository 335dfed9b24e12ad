import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { tempEngine } from '@/lib/engine/test-support/temp-engine';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { EXIT } from '../exit-codes';
import { cliHome, removeHomes, runTorsh } from '../test-support/run-torsh';
import type { SnapshotJson } from './backup-format';

// `--repo s3://bucket/prefix` with the AWS_* variables restic users know, against s3rver on loopback.

let s3: S3rverHandle;
let tmp: string;
let registry: Awaited<ReturnType<typeof tempEngine>>;
let env: NodeJS.ProcessEnv;
const repo = 's3://torsh-backups/hub/nightly';

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'torsh-backups' });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'torsh-backup-s3-'));
  registry = await tempEngine();
  await publishSample(registry, 'gamma', '1.0.0', { files: [{ path: 'models/model.bin', source: randomBytes(400 * 1024) }] });
  env = {
    ...cliHome().env,
    TORSH_BACKUP_PASSWORD: 'an s3 password',
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_REGION: 'us-east-1',
  };
});

afterAll(async () => {
  await s3?.stop();
  await registry?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
  removeHomes();
});

it('init, create, list, verify --read-data and restore against an s3:// repository', async () => {
  const run = (args: string[]) => runTorsh(['backup', ...args, '--repo', repo], { env });
  const init = await run(['init']);
  expect(init.code, init.stderr).toBe(EXIT.OK);
  expect(init.stdout).toContain('s3://torsh-backups/hub/nightly');
  const create = await run(['create', '--data', registry.dataDir, '--tag', 's3']);
  expect(create.code, create.stderr).toBe(EXIT.OK);
  const list = await run(['list', '--json']);
  expect(list.code, list.stderr).toBe(EXIT.OK);
  const [snapshot] = JSON.parse(list.stdout) as SnapshotJson[];
  expect(snapshot.tags).toEqual(['s3']);
  const verify = await run(['verify', '--read-data']);
  expect(verify.code, verify.stdout + verify.stderr).toBe(EXIT.OK);
  const to = path.join(tmp, 'restored');
  const restore = await run(['restore', '--snapshot', snapshot.id, '--to', to]);
  expect(restore.code, restore.stderr).toBe(EXIT.OK);
  const db = await readFile(path.join(to, 'torsh.db'));
  expect(db.subarray(0, 16).toString()).toBe('SQLite format 3\0');
});
