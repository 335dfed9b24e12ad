import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { baseURL, publish, samplePackage, sha256, uniqueName } from '../support/registry';

// A local-folder replication node beside the origin the suite runs; the origin checks nodes every
// 2 s (TORSH_REPLICATION_CHECK_INTERVAL_S in playwright.config.ts), so lag readings come quickly.
let tmp: string;
const nodeId = `e2e-${randomBytes(3).toString('hex')}`;

test.beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'torsh-e2e-replica-'));
});

test.afterAll(async ({ playwright }) => {
  // Leave the origin as later specs expect it: no node, replication off.
  const anon = await playwright.request.newContext({ baseURL: baseURL() });
  const api = await playwright.request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { authorization: `Bearer ${await adminToken(anon)}` } });
  await api.put('/api/v1/replication/config', {
    data: { consistency: 'eventual', replication_factor: 0, auto_failover: true, sync_interval_secs: 30, conflict_strategy: 'last_write_wins' },
  });
  await api.delete(`/api/v1/replication/nodes/${nodeId}`);
  await api.dispose();
  await anon.dispose();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test('Replication page: a node added in the form holds a published version, its lag is charted, and a conflict the scrub finds is resolved by an admin', async ({ adminPage: page, api }) => {
  await page.goto('/replication');
  await page.getByRole('button', { name: 'Add node' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add replication node' });
  await dialog.getByLabel('Node id').fill(nodeId);
  await dialog.getByLabel('Region').fill('eu-west');
  // A folder the server cannot write is refused with the probe's reason, and nothing is added.
  await dialog.getByLabel('Folder').fill('/dev/null/torsh-node');
  await dialog.getByRole('button', { name: 'Probe and add' }).click();
  await expect(dialog.getByRole('alert')).toContainText('REPLICATION_NODE_UNAVAILABLE');
  await dialog.getByLabel('Folder').fill(tmp);
  await dialog.getByRole('button', { name: 'Probe and add' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: `Node ${nodeId}` });
  await expect(row).toBeVisible();

  // One copy of every version on a node; conflicts wait for an admin.
  const settings = page.getByRole('form', { name: 'Replication settings' });
  await settings.getByLabel('Replication factor').fill('1');
  await settings.getByLabel('Conflict strategy').selectOption('manual');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status')).toContainText('Saved');

  const name = uniqueName('replicated');
  const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(32 * 1024, 3) }] });
  expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);

  // The replica lands on the node; the table shows its bytes and state, the chart the check job's lag readings.
  await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'healthy', { timeout: 20_000 });
  await expect(row.locator('[data-used-bytes]')).not.toHaveAttribute('data-used-bytes', '0', { timeout: 30_000 });
  await expect(row).toContainText(/\d+(\.\d+)? (KiB|MiB)/);
  const lag = page.getByRole('region', { name: 'Replication lag per node' });
  await expect(lag.getByRole('img')).toBeVisible({ timeout: 30_000 });
  await lag.getByRole('button', { name: 'Table' }).click();
  await expect(lag.locator('td[data-series^="n"]').filter({ hasText: /\d+(\.\d+)? (ms|s|min)/ }).first()).toBeVisible();

  // The package page names the node that holds the version.
  const pkgPage = await page.context().newPage();
  await pkgPage.goto(`/packages/${name}`);
  await expect(pkgPage.getByRole('list', { name: 'Replicas of 1.0.0' }).getByText(nodeId)).toBeVisible({ timeout: 20_000 });
  await pkgPage.close();

  // Another process wrote other bytes for the same name@version on the node: a conflict.
  const other = Buffer.from(`not the published bytes ${randomBytes(8).toString('hex')}`);
  const otherDigest = sha256(other);
  const blobDir = path.join(tmp, 'blobs', otherDigest.slice(0, 2), otherDigest.slice(2, 4));
  await fs.mkdir(blobDir, { recursive: true });
  await fs.writeFile(path.join(blobDir, otherDigest), other);
  await fs.mkdir(path.join(tmp, 'refs', name), { recursive: true });
  await fs.writeFile(
    path.join(tmp, 'refs', name, '1.0.0.json'),
    JSON.stringify({ name, version: '1.0.0', digest: otherDigest, size: other.length, yanked: false, written_at: Date.now() }),
  );

  await page.getByRole('button', { name: 'Scrub now' }).click();
  await expect(page.locator("[data-scrub]")).toContainText(/Scrub job #\d+/);
  const conflict = page.getByRole('row', { name: `Conflict ${name}@1.0.0 on ${nodeId}` });
  await expect(conflict).toBeVisible({ timeout: 30_000 });
  await expect(conflict.locator('[data-conflict-state]')).toHaveAttribute('data-conflict-state', 'open');
  await expect(conflict).toContainText(pkg.digest.slice(0, 12));
  await expect(conflict).toContainText(otherDigest.slice(0, 12));

  await conflict.getByRole('button', { name: /^Resolve conflict/ }).click();
  const resolve = page.getByRole('dialog', { name: `Resolve conflict on ${name}@1.0.0` });
  await resolve.getByLabel(/catalogue’s digest/).check();
  await resolve.getByRole('button', { name: 'Resolve conflict' }).click();
  await expect(resolve).toBeHidden();
  // Gone from the open conflicts, listed under the resolved ones with who resolved it.
  await expect(conflict).toBeHidden();
  await page.getByRole('group', { name: 'Conflict state' }).getByRole('button', { name: 'Resolved' }).click();
  await expect(conflict.locator('[data-conflict-state]')).toHaveAttribute('data-conflict-state', 'resolved');
  await expect(conflict).toContainText(/by \S+/);

  // The catalogue's bytes are back on the node.
  await expect(async () => {
    const ref = JSON.parse(await fs.readFile(path.join(tmp, 'refs', name, '1.0.0.json'), 'utf8')) as { digest: string };
    expect(ref.digest).toBe(pkg.digest);
  }).toPass({ timeout: 20_000 });
});
