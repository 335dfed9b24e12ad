import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRole, type RoleProcess } from '../../lib/server/test-support/role-process';
import { adminToken, expect, test } from '../support/fixtures';
import { baseURL, publish, samplePackage, uniqueName } from '../support/registry';

// A real mirror and a real edge (`torsh serve --role mirror|edge`) beside the origin the suite runs;
// the origin checks mirrors and collects edge stats every 2 s (playwright.config.ts).
const PURGE_TOKEN = 'e2e-edge-purge-token';
let tmp: string;
let mirror: RoleProcess;
let edge: RoleProcess;

test.beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'torsh-e2e-dist-'));
  mirror = await startRole(['--role', 'mirror', '--upstream', baseURL(), '--data', path.join(tmp, 'mirror')]);
  edge = await startRole(['--role', 'edge', '--origin', baseURL(), '--data', path.join(tmp, 'edge'), '--cache-size', '64MiB', '--purge-token', PURGE_TOKEN]);
});

test.afterAll(async ({ playwright }) => {
  // Unregister what this file added, so later specs see an origin without a dead mirror or edge.
  const anon = await playwright.request.newContext({ baseURL: baseURL() });
  const api = await playwright.request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { authorization: `Bearer ${await adminToken(anon)}` } });
  for (const [list, key] of [['/api/v1/mirrors', 'mirrors'], ['/api/v1/edges', 'edges']] as const) {
    const rows = ((await (await api.get(list)).json())[key] ?? []) as { id: number; url: string }[];
    for (const row of rows.filter((r) => r.url === mirror?.url || r.url === edge?.url)) expect((await api.delete(`${list}/${row.id}`)).status()).toBe(200);
  }
  await api.dispose();
  await anon.dispose();
  await mirror?.stop();
  await edge?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test('Mirrors page: a mirror added through the form shows live health, latency and lag; killed, it turns red', async ({ adminPage: page, api }) => {
  const name = uniqueName('mirrored');
  const pkg = await samplePackage({ name, version: '1.0.0' });
  expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);

  await page.goto('/mirrors');
  await page.getByRole('button', { name: 'Add mirror' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add mirror' });
  // A URL that is not a registry is refused with the probe's reason, and nothing is added.
  await dialog.getByLabel('Base URL').fill(`${baseURL()}/login`);
  await dialog.getByLabel('Region').fill('eu-west');
  await dialog.getByRole('button', { name: 'Probe and add' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/not a ToRSh registry|NOT_A_REGISTRY|did not answer|not a registry/i);
  await dialog.getByLabel('Base URL').fill(mirror.url);
  await dialog.getByRole('button', { name: 'Probe and add' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: `Mirror ${mirror.url}` });
  await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'healthy');
  await expect(row).toContainText(/\d+(\.\d+)? ms/);

  // The charts read the metrics store's rollups of the checks: the table views hold real figures.
  const latency = page.getByRole('region', { name: 'Latency per mirror' });
  await expect(latency.getByRole('img')).toBeVisible({ timeout: 20_000 });
  await latency.getByRole('button', { name: 'Table' }).click();
  await expect(latency.locator('td[data-series^="m"]').filter({ hasText: /\d+(\.\d+)? ms/ }).first()).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Health state timeline' });
  await timeline.getByRole('button', { name: 'Table' }).click();
  await expect(timeline.locator('td[data-series^="m"]').filter({ hasText: /\d/ }).first()).toBeVisible();
  const lag = page.getByRole('region', { name: 'Lag per mirror' });
  await lag.getByRole('button', { name: 'Table' }).click();
  await expect(lag.locator('td[data-series^="m"]').filter({ hasText: /^\d+$/ }).first()).toBeVisible();

  await mirror.stop('SIGKILL');
  await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'unhealthy', { timeout: 30_000 });
  await expect(row.getByText('Unhealthy')).toBeVisible();
  await expect(row).toHaveClass(/bg-red/);
});

test('CDN page: an edge registered through the API shows its hit rate and bytes from cache vs origin from real downloads', async ({ adminPage: page, api, request }) => {
  const res = await api.post('/api/v1/edges', { data: { url: edge.url, region: 'eu-west', provider: 'torsh-edge', purge_token: PURGE_TOKEN } });
  expect(res.status(), await res.text()).toBe(201);
  expect(JSON.stringify(await res.json())).not.toContain(PURGE_TOKEN);

  const name = uniqueName('cached');
  const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(256 * 1024, 3) }] });
  expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
  const url = `${edge.url}/api/v1/packages/${name}/1.0.0/download`;
  const caches: (string | undefined)[] = [];
  for (let i = 0; i < 4; i++) {
    const got = await request.get(url);
    expect((await got.body()).equals(pkg.bytes)).toBe(true);
    caches.push(got.headers()['x-cache']);
  }
  expect(caches).toEqual(['MISS', 'HIT', 'HIT', 'HIT']);

  await page.goto('/cdn');
  await expect(page.getByRole('row', { name: `Edge ${edge.url}` })).toContainText('eu-west');
  const hitRate = page.getByRole('region', { name: 'Cache hit rate' });
  await expect(hitRate.getByRole('img')).toBeVisible({ timeout: 20_000 });
  await hitRate.getByRole('button', { name: 'Table' }).click();
  await expect(hitRate.locator('td[data-series="overall"]').filter({ hasText: /^(7[0-9]|[89][0-9]|100)(\.\d+)? ?%$/ }).first()).toBeVisible();
  const bytes = page.getByRole('region', { name: 'Bytes served · all edges' });
  await bytes.getByRole('button', { name: 'Table' }).click();
  await expect(bytes.locator('td[data-series="cache"]').filter({ hasText: /KiB|MiB/ }).first()).toBeVisible();

  // The Overview's cache-hit panel reads the same rollups.
  await page.goto('/?range=1h');
  await expect(page.getByRole('region', { name: 'Cache hit rate' })).toContainText(/\d+(\.\d+)? ?%/);
});
