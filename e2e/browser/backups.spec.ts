import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { baseURL, publish, samplePackage, uniqueName } from '../support/registry';

// A local-folder backup repository beside the origin the suite runs; the server reads its password
// from a file this spec writes (the password never goes through the browser).
let tmp: string;
const repoId = `e2e-${randomBytes(3).toString('hex')}`;

test.beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'torsh-e2e-backup-'));
  await fs.writeFile(path.join(tmp, 'password'), `e2e backup password ${randomBytes(6).toString('hex')}\n`, { mode: 0o600 });
});

test.afterAll(async ({ playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: baseURL() });
  const api = await playwright.request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { authorization: `Bearer ${await adminToken(anon)}` } });
  await api.delete(`/api/v1/backups/repositories/${repoId}`);
  await api.dispose();
  await anon.dispose();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test('Backups page: a repository added in the form takes a backup listed with its sizes, verifies clean, and a retention policy previews what it forgets', async ({ adminPage: page, api }) => {
  test.setTimeout(180_000);
  const name = uniqueName('backed-up');
  const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: randomBytes(96 * 1024) }] });
  expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);

  await page.goto('/backups');
  await page.getByRole('button', { name: 'Add repository' }).first().click();
  const add = page.getByRole('dialog', { name: 'Add backup repository' });
  await add.getByLabel('Repository id').fill(repoId);
  await add.getByLabel('Description').fill('e2e repository');
  await add.getByLabel('Folder').fill(path.join(tmp, 'repo'));
  // A password file the server cannot read is refused with the reason, and nothing is added.
  await add.getByLabel('Password file').fill(path.join(tmp, 'no-such-password'));
  await add.getByRole('button', { name: 'Initialise and add' }).click();
  await expect(add.getByRole('alert')).toContainText('BACKUP_PASSWORD_UNAVAILABLE');
  await add.getByLabel('Password file').fill(path.join(tmp, 'password'));
  await add.getByRole('button', { name: 'Initialise and add' }).click();
  await expect(add).toBeHidden();
  const row = page.getByRole('row', { name: `Repository ${repoId}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText(path.join(tmp, 'repo'));
  await row.getByRole('button', { name: `Open repository ${repoId}` }).click();
  const detail = page.locator(`[data-repository="${repoId}"]`);
  await expect(detail.getByText('No snapshots yet')).toBeVisible();

  // Back up now: a job with live progress, then the snapshot listed with its sizes.
  const backUp = async (tag: string) => {
    await detail.getByRole('button', { name: 'Back up now' }).first().click();
    const dialog = page.getByRole('dialog', { name: `Back up to ${repoId}` });
    await dialog.getByLabel('Tags', { exact: true }).fill(tag);
    await dialog.getByLabel('Description', { exact: true }).fill(`e2e ${tag}`);
    await dialog.getByRole('button', { name: 'Start backup' }).click();
    await expect(dialog).toBeHidden();
    await expect(detail.locator('[data-job-id]').first()).toContainText(/Backup job #\d+/);
    await expect(detail.locator('[data-job-id]').first()).toHaveAttribute('data-job-state', 'succeeded', { timeout: 90_000 });
  };
  await backUp('first');
  const snapshots = detail.locator('[data-snapshot-id]');
  await expect(snapshots).toHaveCount(1, { timeout: 20_000 });
  const first = snapshots.first();
  await expect(first).toContainText('whole registry');
  await expect(first).toContainText('first');
  await expect(first.locator('[data-logical-bytes]')).not.toHaveAttribute('data-logical-bytes', '0');
  await expect(first.locator('[data-new-bytes]')).not.toHaveAttribute('data-new-bytes', '0');
  await expect(first).toContainText(/\d+(\.\d+)? (KiB|MiB)/);
  await expect(first).toContainText(/\d+(\.\d+)?×/);
  await expect(row.locator('[data-stored-bytes]')).not.toHaveAttribute('data-stored-bytes', '0', { timeout: 20_000 });

  // Verify reading every chunk: progress, then the report.
  await detail.getByRole('button', { name: 'Verify all data' }).click();
  const report = detail.getByRole('region', { name: 'Verify report' });
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(report).toHaveAttribute('data-verify-ok', 'true');
  await expect(report).toContainText('no damage found');
  await expect(report).toContainText(/1 snapshot · \d+ chunks checked · .* read/);

  // A second backup stores little new: the registry barely changed.
  await backUp('second');
  await expect(snapshots).toHaveCount(2, { timeout: 20_000 });

  // Keep last 1: the dry run forgets the older snapshot and says what prune frees.
  const policy = page.getByRole('form', { name: 'Retention policy' });
  await policy.getByLabel('Keep last').fill('1');
  const preview = policy.getByRole('region', { name: 'Retention preview' });
  await expect(preview).toHaveAttribute('data-remove-count', '1', { timeout: 20_000 });
  await expect(preview).toContainText(/Forgets 1 of 2 snapshots; prune then frees \d+(\.\d+)? (B|KiB|MiB)/);
  await expect(preview.locator('[data-keep="true"]')).toHaveCount(1);
  await expect(preview.locator('[data-keep="true"]')).toContainText('last');
  await expect(preview.locator('[data-keep="false"]')).toContainText('forget');
  await policy.getByRole('button', { name: 'Save policy and schedule' }).click();
  await expect(policy.getByRole('status')).toContainText('Saved');
  await expect(detail).toContainText('Retention: last 1');

  // Each run recorded the repository's size and ratio: charted with units.
  const size = page.getByRole('region', { name: 'Repository size' });
  await expect(size.getByRole('img')).toBeVisible({ timeout: 30_000 });
  await size.getByRole('button', { name: 'Table' }).click();
  await expect(size.locator('td[data-series="stored"]').filter({ hasText: /\d+(\.\d+)? (KiB|MiB)/ }).first()).toBeVisible();
  const ratio = page.getByRole('region', { name: 'Deduplication ratio' });
  await ratio.getByRole('button', { name: 'Table' }).click();
  await expect(ratio.locator('td[data-series="ratio"]').filter({ hasText: /\d+(\.\d+)?×/ }).first()).toBeVisible();
});
