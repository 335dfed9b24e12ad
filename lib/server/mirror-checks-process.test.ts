/**
 * The scheduled `mirrors.check` job in a real headless origin process: a mirror added through the
 * API turns unhealthy within two check intervals of its server stopping, and healthy again after
 * it comes back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '@/lib/engine/mirrors/test-support/health-server';
import { adminToken, startRole, type RoleProcess } from './test-support/role-process';

const PASSWORD = 'mirror-checks-password-1';
let dir: string;
let origin: RoleProcess;
let token: string;
let mirror: HealthServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-mirror-checks-'));
  origin = await startRole(['--role', 'origin', '--data', dir], { TORSH_ADMIN_PASSWORD: PASSWORD, TORSH_MIRROR_CHECK_INTERVAL_S: '1' });
  token = await adminToken(origin.url, PASSWORD);
  mirror = await startHealthServer();
  mirror.answer.body = mirror.mirrorBody(0);
}, 90_000);

afterAll(async () => {
  await mirror?.stop().catch(() => {});
  await origin?.stop();
  await rm(dir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
async function stateOf(id: number): Promise<string> {
  const body = (await (await fetch(`${origin.url}/api/v1/mirrors`, { headers: auth() })).json()) as { mirrors: { id: number; state: string }[] };
  return body.mirrors.find((m) => m.id === id)!.state;
}

it('a stopped mirror turns unhealthy within two check intervals and healthy again when it returns', async () => {
  const res = await fetch(`${origin.url}/api/v1/mirrors`, { method: 'POST', headers: auth(), body: JSON.stringify({ url: mirror.url, region: 'eu' }) });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: number };

  await mirror.stop();
  const stoppedAt = Date.now();
  await expect.poll(() => stateOf(id), { timeout: 10_000, interval: 200 }).toBe('unhealthy');
  // Two failed checks at 1 s intervals, plus the worker's poll (1 s) and process start-up slack.
  expect(Date.now() - stoppedAt).toBeLessThan(5_000);

  await mirror.restart();
  await expect.poll(() => stateOf(id), { timeout: 10_000, interval: 200 }).toBe('healthy');
  const checks = (await (await fetch(`${origin.url}/api/v1/mirrors/${id}/checks`, { headers: auth() })).json()) as { total: number };
  expect(checks.total).toBeGreaterThanOrEqual(5);
}, 60_000);
