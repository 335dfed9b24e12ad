import { expect, test } from '../support/fixtures';
import { publish, samplePackage, uniqueName } from '../support/registry';

const localInput = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

test('after real publishes and downloads the Overview shows measured KPIs and charts; the range lives in the URL and changes the data', async ({ adminPage: page, api, request }) => {
  const name = uniqueName('dash');
  const pkg = await samplePackage({ name, version: '1.0.0', files: [{ path: 'models/w.bin', source: Buffer.alloc(64 * 1024, 7) }] });
  expect((await publish(api, name, '1.0.0', pkg.bytes)).status()).toBe(201);
  for (let i = 0; i < 3; i++) {
    const res = await request.get(`/api/v1/packages/${name}/1.0.0/download`);
    expect(res.status()).toBe(200);
    expect((await res.body()).length).toBe(pkg.bytes.length);
  }

  await page.goto('/?range=1h');
  await expect(page.getByRole('button', { name: '1 h', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('updated-ago')).toContainText(/Updated \d+ s ago/);

  const kpi = (label: string) => page.locator(`[data-kpi="${label}"] [data-kpi-value]`);
  await expect(kpi('Packages')).not.toHaveText('0');
  await expect(async () => expect(Number((await kpi('Downloads').textContent())!.replace(/,/g, ''))).toBeGreaterThanOrEqual(3)).toPass();
  await expect(kpi('Bytes served')).toHaveText(/\d.* (KiB|MiB|GiB)/);
  await expect(kpi('p95 download time')).toHaveText(/\d+(\.\d+)? (ms|s)$/);

  // The charts' table views hold the same figures as the drawings.
  const top = page.getByRole('region', { name: 'Top packages by downloads' });
  await expect(top.getByRole('img', { name: new RegExp(`^Top packages by downloads: .*${name} 3`) })).toBeVisible();
  await top.getByRole('button', { name: 'Table' }).click();
  await expect(top.getByRole('row', { name: new RegExp(name) }).getByRole('cell').first()).toHaveText('3');

  const downloads = page.getByRole('region', { name: 'Downloads over time' });
  await downloads.getByRole('button', { name: 'Table' }).click();
  const cells = await downloads.locator('td[data-series="downloads"]').allTextContents();
  expect(cells.reduce((n, c) => n + Number(c.replace(/,/g, '')), 0)).toBeGreaterThanOrEqual(3);

  const bandwidth = page.getByRole('region', { name: 'Bandwidth' });
  await bandwidth.getByRole('button', { name: 'Table' }).click();
  await expect(bandwidth.locator('td[data-series="bytes"]').filter({ hasText: /KiB|MiB/ }).first()).toBeVisible();

  await expect(page.getByRole('region', { name: 'Mirror health' })).toContainText(/No mirrors yet|of \d+ serving/);

  // Another preset: the URL follows.
  await page.getByRole('button', { name: '7 d', exact: true }).click();
  await expect(page).toHaveURL(/\?range=7d$/);
  await expect(async () => expect(Number((await kpi('Downloads').textContent())!.replace(/,/g, ''))).toBeGreaterThanOrEqual(3)).toPass();

  // A custom range in the past: nothing was downloaded then.
  const to = Date.now() - 20 * 86_400_000;
  await page.getByRole('button', { name: 'Custom' }).click();
  const custom = page.getByRole('form', { name: 'Custom time range' });
  await custom.getByLabel('From').fill(localInput(to - 86_400_000));
  await custom.getByLabel('To').fill(localInput(to));
  await custom.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/\?from=\d+&to=\d+$/);
  await expect(kpi('Downloads')).toHaveText('0');
  await expect(kpi('Bytes served')).toHaveText('0 B');
  await expect(downloads).toContainText('Downloads appear here after the first package download');

  // Reloading the page keeps the range (it is in the URL).
  await page.reload();
  await expect(page.getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect(kpi('Downloads')).toHaveText('0');

  // The package page charts its downloads per version.
  await page.goto(`/packages/${name}`);
  const perVersion = page.getByRole('region', { name: 'Downloads per version' });
  await perVersion.getByRole('button', { name: 'Table' }).click();
  const versionCells = await perVersion.locator('td[data-series="l0"]').allTextContents();
  expect(versionCells.reduce((n, c) => n + Number(c.replace(/,/g, '')), 0)).toBe(3);
});

test('without ViewStats the Overview shows the visible totals and says why the charts are hidden', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('note')).toContainText('need the ViewStats permission');
  await expect(page.getByRole('button', { name: '24 h', exact: true })).toHaveCount(0);
});
