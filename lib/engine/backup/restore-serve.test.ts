import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminToken, startRole, type RoleProcess } from '@/lib/server/test-support/role-process';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { createRegistrySnapshot } from './create-snapshot';
import { restoreRegistry } from './restore-registry';
import { openRepoBackend } from './repo/open-backend';
import { initRepository } from './repo/repository';
import { dumpTables, tempBackupRepo, TEST_PASSWORD } from './test-support/snapshot-repo';
import type { BackupRepository } from './types';
import { verifyRepository } from './verify';

const PASSWORD = 'admin-password-0123';
const sha = (b: Buffer | ArrayBuffer) => createHash('sha256').update(Buffer.from(b as ArrayBuffer)).digest('hex');

let s3: S3rverHandle;
const processes: RoleProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);

afterAll(async () => {
  for (const p of processes) await p.stop();
  await s3?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const repositories: [string, () => Promise<BackupRepository>][] = [
  ['a local folder', async () => (await tempBackupRepo().then((r) => (dirs.push(r.dir), r))).repo],
  [
    'an S3 bucket (s3rver)',
    () =>
      initRepository(
        openRepoBackend({
          type: 's3',
          bucket: s3.bucket,
          prefix: 'round-trip',
          endpoint: s3.endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          accessKeyId: s3.credentials.accessKeyId,
          secretAccessKey: s3.credentials.secretAccessKey,
        }),
        TEST_PASSWORD,
      ),
  ],
];

it.each(repositories)('repository in %s: a registry backed up while it serves, restored into a new directory: the app starts on it, users sign in, old tokens work, bytes are identical', async (_, makeRepo) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-restore-serve-'));
  dirs.push(dir);
  const repo = { repo: await makeRepo() };
  const origin = await startRole(['--role', 'origin', '--data', path.join(dir, 'data')], { TORSH_ADMIN_PASSWORD: PASSWORD });
  processes.push(origin);
  const admin = await adminToken(origin.url, PASSWORD);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const json = (t: string) => ({ ...auth(t), 'content-type': 'application/json' });
  const created = await fetch(`${origin.url}/api/v1/users`, {
    method: 'POST',
    headers: json(admin),
    body: JSON.stringify({ username: 'bob', email: 'bob@x.test', password: 'bob-password-1', roles: ['maintainer'] }),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const issued = await fetch(`${origin.url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bob', password: 'bob-password-1', name: 'ci' }),
  });
  const bob = ((await issued.json()) as { token: string }).token;
  const pkgs: { name: string; version: string; bytes: Buffer }[] = [];
  for (const [name, version] of [['resnet', '1.0.0'], ['resnet', '1.1.0'], ['bert', '0.1.0']]) {
    const bytes = await readFile(await writeSamplePackage({ name, version, dir }));
    const put = await fetch(`${origin.url}/api/v1/packages/${name}/${version}`, { method: 'PUT', headers: auth(bob), body: bytes });
    expect(put.status, await put.clone().text()).toBe(201);
    pkgs.push({ name, version, bytes });
  }

  // Taken from outside the server process, as `torsh backup create` does, while it keeps serving.
  const data = path.join(dir, 'data');
  const snap = await createRegistrySnapshot(repo.repo, { dataDir: data, blobs: createLocalBlobStore(path.join(data, 'blobs')) }, { tags: ['test'] });
  await origin.stop();

  const to = path.join(dir, 'restored');
  await restoreRegistry(repo.repo, snap.id, to);
  // The server kept running (jobs, metrics, job-kept settings such as replication.sync_at): compare what it did not touch after the snapshot.
  const ACCOUNTS_AND_PACKAGES = ['users', 'roles', 'role_permissions', 'user_roles', 'api_tokens', 'signing_keys', 'packages', 'versions', 'resources', 'tags', 'package_owners'];
  const pick = (t: Record<string, unknown[]>) => Object.fromEntries(ACCOUNTS_AND_PACKAGES.map((n) => [n, t[n]]));
  const restoredTables = pick(dumpTables(path.join(to, 'torsh.db')));
  expect(restoredTables.versions).toHaveLength(3);
  const liveTables = pick(dumpTables(path.join(data, 'torsh.db')));
  const differing = ACCOUNTS_AND_PACKAGES.filter((t) => JSON.stringify(restoredTables[t]) !== JSON.stringify(liveTables[t]));
  expect(differing, differing.map((t) => `${t}: ${JSON.stringify(restoredTables[t])} vs ${JSON.stringify(liveTables[t])}`).join('\n')).toEqual([]);

  // No TORSH_ADMIN_PASSWORD: the accounts come from the backup.
  const restoredOrigin = await startRole(['--role', 'origin', '--data', to]);
  processes.push(restoredOrigin);
  const url = restoredOrigin.url;
  const signIn = await fetch(`${url}/api/v1/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bob', password: 'bob-password-1', name: 'after' }) });
  expect(signIn.status, await signIn.clone().text()).toBe(201);
  const fresh = ((await signIn.json()) as { token: string }).token;
  const me = (await (await fetch(`${url}/api/v1/me`, { headers: auth(bob) })).json()) as { user: { username: string; roles: string[] } };
  expect(me.user).toMatchObject({ username: 'bob', roles: ['maintainer'] });
  for (const p of pkgs) {
    const res = await fetch(`${url}/api/v1/packages/${p.name}/${p.version}/download`, { headers: auth(fresh) });
    expect(res.status).toBe(200);
    expect(sha(await res.arrayBuffer())).toBe(sha(p.bytes));
  }
  const users = (await (await fetch(`${url}/api/v1/users`, { headers: auth(admin) })).json()) as { users: { username: string }[] };
  expect(users.users.map((u) => u.username).sort()).toEqual(['admin', 'bob']);
  await restoredOrigin.stop();
  // And the repository itself checks out: every chunk read, decrypted and re-hashed.
  expect(await verifyRepository(repo.repo, { readData: true })).toMatchObject({ ok: true, snapshots: 1 });
}, 180_000);
