import { readFile } from 'node:fs/promises';
import { expect, test } from '../support/fixtures';
import { publish, queryDb, samplePackage, sha256, uniqueName } from '../support/registry';

test('publish in the browser, find it by search, open it, download it and verify the checksum', async ({ adminPage: page }) => {
  const name = uniqueName('browser');
  const pkg = await samplePackage({
    name,
    version: '1.2.3',
    description: 'uploaded from chromium',
    tags: ['e2e'],
    files: [
      { path: 'models/model.bin', source: Buffer.alloc(2 * 1024 * 1024, 5) },
      { path: 'config/config.json', source: Buffer.from('{"hidden": 64}'), compress: true },
    ],
  });

  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  // The manifest is read in the browser before anything is uploaded.
  await expect(page.getByRole('heading', { name: `${name}@1.2.3` })).toBeVisible();
  await expect(page.getByText('models/model.bin').first()).toBeVisible();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Published ${name}@1.2.3` })).toBeVisible();
  await expect(page.getByText(pkg.digest).first()).toBeVisible();

  await page.goto('/packages');
  await page.getByRole('searchbox', { name: 'Search packages' }).fill(name);
  await expect(page).toHaveURL(new RegExp(`q=${name}`));
  await page.getByRole('link', { name, exact: true }).click();

  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const checksum = (await page.getByLabel('sha256 checksum').textContent())!.trim();
  expect(checksum).toBe(pkg.digest);
  await expect(page.getByText('config/config.json')).toBeVisible();

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download', exact: true }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(`${name}-1.2.3.torshpkg`);
  const bytes = await readFile((await download.path())!);
  expect(sha256(bytes)).toBe(checksum);

  const audit = queryDb<{ result: string }>('SELECT result FROM audit_events WHERE action = ? AND target = ?', 'version.publish', `${name}@1.2.3`);
  expect(audit).toEqual([{ result: 'ok' }]);
});

test('the browser shows the server’s error for a rejected package and nothing is published', async ({ adminPage: page, api, request }) => {
  const name = uniqueName('dupe');
  const first = await samplePackage({ name, version: '1.0.0' });
  expect((await publish(api, name, '1.0.0', first.bytes)).status()).toBe(201);
  const again = await samplePackage({ name, version: '1.0.0', description: 'second try' });

  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(again.file);
  await expect(page.getByRole('heading', { name: `${name}@1.0.0` })).toBeVisible();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'already published' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('PACKAGE_VERSION_EXISTS');
  const meta = await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json();
  expect(meta.digest).toBe(`sha256:${first.digest}`);
});

test('a package the server rejects after upload shows the server’s message; nothing is stored', async ({ adminPage: page, request }) => {
  const name = uniqueName('badsum');
  // The manifest lists a wrong sha256 for its model file: only the server can tell.
  const file = (await samplePackage({ name, version: '1.0.0', fillResources: false })).file.replace(/\.torshpkg$/, '-bad.torshpkg');
  const { writePackage } = await import('../../lib/engine/format/write-package');
  await writePackage(file, {
    manifest: {
      name,
      version: '1.0.0',
      format_version: '1.0.0',
      created_at: '2026-01-01T00:00:00Z',
      resources: [{ name: 'model.bin', resource_type: 'Model', size: 3, sha256: 'a'.repeat(64) }],
    },
    files: [{ path: 'models/model.bin', source: Buffer.from('abc') }],
  });
  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'CHECKSUM_MISMATCH' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('models/model.bin');
  expect((await request.get(`/api/v1/packages/${name}`)).status()).toBe(404);
});

test('a file that is not a package is refused before upload', async ({ adminPage: page }) => {
  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles({ name: 'notes.torshpkg', mimeType: 'application/octet-stream', buffer: Buffer.from('just text') });
  await expect(page.getByRole('alert').filter({ hasText: /not a ZIP/i })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish', exact: true })).toBeDisabled();
});

test('yank and unyank from the package page, with confirmation, audited', async ({ adminPage: page, api, request }) => {
  const name = uniqueName('yankui');
  for (const v of ['1.0.0', '1.1.0']) {
    expect((await publish(api, name, v, (await samplePackage({ name, version: v })).bytes)).status()).toBe(201);
  }
  await page.goto(`/packages/${name}?version=1.1.0`);
  await page.getByRole('button', { name: 'Yank', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Yank ${name}@1.1.0?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await (await request.get(`/api/v1/packages/${name}/1.1.0`)).json()).yanked).toBe(false);

  await page.getByRole('button', { name: 'Yank', exact: true }).click();
  await dialog.getByLabel('Reason').fill('corrupted weights');
  await dialog.getByRole('button', { name: 'Yank version' }).click();
  await expect(page.getByRole('button', { name: 'Unyank', exact: true })).toBeVisible();
  const meta = await (await request.get(`/api/v1/packages/${name}/1.1.0`)).json();
  expect(meta).toMatchObject({ yanked: true, yank_reason: 'corrupted weights' });
  expect((await (await request.get(`/api/v1/packages/${name}`)).json()).latest).toBe('1.0.0');

  await page.getByRole('button', { name: 'Unyank', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Yank', exact: true })).toBeVisible();
  expect((await (await request.get(`/api/v1/packages/${name}/1.1.0`)).json()).yanked).toBe(false);

  const audit = queryDb<{ action: string; result: string }>(
    "SELECT action, result FROM audit_events WHERE target = ? AND action != 'version.publish' ORDER BY id",
    `${name}@1.1.0`,
  );
  expect(audit).toEqual([
    { action: 'version.yank', result: 'ok' },
    { action: 'version.unyank', result: 'ok' },
  ]);
});

test('an unknown package shows a not-found state', async ({ page }) => {
  await page.goto(`/packages/${uniqueName('missing')}`);
  await expect(page.getByText('Package not found')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to Packages' })).toBeVisible();
});
