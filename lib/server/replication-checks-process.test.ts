/**
 * The scheduled `replication.check` job in a real headless origin process: a folder node added
 * through the API turns unhealthy within a few check intervals of its folder becoming unwritable,
 * and healthy again after it comes back; the process never prints a node's secret.
 */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { azuriteConnectionString, startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { adminToken, startRole, type RoleProcess } from './test-support/role-process';

const PASSWORD = 'replication-checks-password-1';
const S3_SECRET = 'process-s3-secret-0123456789';
const AZURE_KEY = Buffer.from('process-azure-key-0123456789abcdef').toString('base64');
let dir: string;
let origin: RoleProcess;
let token: string;
let s3: S3rverHandle;
let az: Azurite;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-replication-checks-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
  origin = await startRole(['--role', 'origin', '--data', path.join(dir, 'data')], { TORSH_ADMIN_PASSWORD: PASSWORD, TORSH_REPLICATION_CHECK_INTERVAL_S: '1' });
  token = await adminToken(origin.url, PASSWORD);
}, 90_000);

afterAll(async () => {
  await origin?.stop();
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
type Node = { id: string; state: string; last_check_at: number | null; last_error: string | null };
async function node(id: string): Promise<Node> {
  const body = (await (await fetch(`${origin.url}/api/v1/replication/nodes`, { headers: auth() })).json()) as { nodes: Node[] };
  return body.nodes.find((n) => n.id === id)!;
}
const post = (body: unknown) => fetch(`${origin.url}/api/v1/replication/nodes`, { method: 'POST', headers: auth(), body: JSON.stringify(body) });

it('a folder node that becomes unwritable turns unhealthy, and healthy again when it returns; no secret in the output', async () => {
  const folder = path.join(dir, 'node-a');
  const res = await post({ id: 'node-a', region: 'eu', backend: { type: 'local', path: folder } });
  expect(res.status, await res.clone().text()).toBe(201);
  const s3res = await post({ id: 'node-s3', region: 'us', backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: S3_SECRET } });
  expect(s3res.status, await s3res.clone().text()).toBe(201);
  const bad = await post({ id: 'node-az', region: 'ap', backend: { type: 'azure', connection_string: azuriteConnectionString(az.port, AZURE_KEY), container: az.container } });
  expect(bad.status).toBe(422);

  const first = (await node('node-a')).last_check_at!;
  await expect.poll(async () => (await node('node-a')).last_check_at!, { timeout: 10_000, interval: 200 }).toBeGreaterThan(first);

  await rename(folder, `${folder}.away`);
  await writeFile(folder, 'in the way');
  await expect.poll(async () => (await node('node-a')).state, { timeout: 15_000, interval: 200 }).toBe('unhealthy');
  expect((await node('node-a')).last_error).toMatch(/not writable/);

  await rm(folder);
  await rename(`${folder}.away`, folder);
  await expect.poll(async () => (await node('node-a')).state, { timeout: 15_000, interval: 200 }).toBe('healthy');
  expect((await node('node-s3')).state).toBe('healthy');

  const stats = (await (await fetch(`${origin.url}/api/v1/replication/stats`, { headers: auth() })).json()) as { total_nodes: number; healthy_nodes: number };
  expect(stats).toMatchObject({ total_nodes: 2, healthy_nodes: 2 });
  const out = origin.output();
  for (const secret of [S3_SECRET, AZURE_KEY]) expect(out).not.toContain(secret);
}, 90_000);
