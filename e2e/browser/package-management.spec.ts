import { expect, signIn, test } from '../support/fixtures';
import { publish, queryDb, samplePackage, uniqueName, userWithToken } from '../support/registry';

async function publishVersions(api: Parameters<typeof publish>[0], name: string, versions: string[]) {
  for (const version of versions) {
    const pkg = await samplePackage({ name, version });
    expect((await publish(api, name, version, pkg.bytes)).status()).toBe(201);
  }
}

test('delete a version behind a typed confirmation; it can never be published again', async ({ adminPage: page, api }) => {
  const name = uniqueName('del-ver');
  await publishVersions(api, name, ['1.0.0', '1.1.0']);

  await page.goto(`/packages/${name}?version=1.1.0`);
  await page.getByRole('button', { name: 'Delete version' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}@1.1.0?` });
  await expect(dialog).toContainText('can never be published again');
  const confirm = dialog.getByRole('button', { name: 'Delete version' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${name}@1.1.0 to confirm`).fill(`${name}@1.0.0`);
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${name}@1.1.0 to confirm`).fill(`${name}@1.1.0`);
  await confirm.click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Versions (1)' })).toBeVisible();
  expect((await api.get(`/api/v1/packages/${name}/1.1.0`)).status()).toBe(404);
  const again = await publish(api, name, '1.1.0', (await samplePackage({ name, version: '1.1.0', description: 'new bytes' })).bytes);
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe('VERSION_TOMBSTONED');
  expect(queryDb('SELECT result FROM audit_events WHERE action = ? AND target = ?', 'version.delete', `${name}@1.1.0`)).toEqual([{ result: 'ok' }]);
});

test('delete a whole package behind a typed confirmation of its name', async ({ adminPage: page, api }) => {
  const name = uniqueName('del-pkg');
  await publishVersions(api, name, ['1.0.0']);
  await page.goto(`/packages/${name}`);
  await page.getByRole('button', { name: 'Delete package' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
  await dialog.getByLabel(`Type ${name} to confirm`).fill(name);
  await dialog.getByRole('button', { name: 'Delete package' }).click();
  await expect(page).toHaveURL(/\/packages$/);
  expect((await api.get(`/api/v1/packages/${name}`)).status()).toBe(404);
});

test('move a channel from the package page; downloads follow it; its history shows each move', async ({ adminPage: page, api }) => {
  const name = uniqueName('chan');
  await publishVersions(api, name, ['1.0.0', '1.1.0']);
  await page.goto(`/packages/${name}`);
  const card = page.getByRole('region', { name: 'Channels' });

  await card.getByLabel('Channel', { exact: true }).fill('production');
  await card.getByLabel('Version').selectOption('1.0.0');
  await card.getByRole('button', { name: 'Set channel' }).click();
  await expect(card.getByRole('row', { name: /production 1\.0\.0/ })).toBeVisible();
  expect((await api.head(`/api/v1/packages/${name}/production/download`)).headers()['x-torsh-version']).toBe('1.0.0');

  await card.getByLabel('Channel', { exact: true }).fill('production');
  await card.getByLabel('Version').selectOption('1.1.0');
  await card.getByRole('button', { name: 'Set channel' }).click();
  await expect(card.getByRole('row', { name: /production 1\.1\.0/ })).toBeVisible();
  expect((await api.head(`/api/v1/packages/${name}/production/download`)).headers()['x-torsh-version']).toBe('1.1.0');

  await card.getByRole('button', { name: 'History of production' }).click();
  const history = page.getByRole('dialog', { name: 'History of production' });
  await expect(history.getByRole('listitem')).toHaveText([/1\.0\.0 → 1\.1\.0/, /— → 1\.0\.0/]);
  await history.getByRole('button', { name: 'Close' }).click();

  await card.getByRole('button', { name: 'Remove production' }).click();
  await page.getByRole('dialog', { name: 'Remove channel production?' }).getByRole('button', { name: 'Remove channel' }).click();
  await expect(card.getByText('No channels yet.')).toBeVisible();
});

test('edit the README: rendered as Markdown, raw HTML and javascript: links dropped, searchable', async ({ adminPage: page, api }) => {
  const name = uniqueName('readme');
  await publishVersions(api, name, ['1.0.0']);
  await page.goto(`/packages/${name}`);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  await dialog.getByLabel('Description').fill('Curated description of a marmot detector');
  await dialog.getByLabel('Homepage').fill('https://example.com/marmots');
  await dialog
    .getByLabel('README')
    .fill(
      [
        '# Marmot detector',
        '',
        'Finds **marmots** in alpine photos.',
        '',
        '<script>window.__pwned = 1</script>',
        '<img src="x" onerror="window.__pwned = 2">',
        '',
        '[bad link](javascript:window.__pwned=3) and [good link](https://example.com/docs)',
      ].join('\n'),
    );
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const readme = page.getByRole('region', { name: 'README' });
  await expect(readme.getByRole('heading', { name: 'Marmot detector' })).toBeVisible();
  await expect(readme.locator('strong')).toHaveText('marmots');
  expect(await readme.locator('script, img, [onerror]').count()).toBe(0);
  expect(await readme.getByText('bad link').getAttribute('href')).toBeNull();
  await expect(readme.getByRole('link', { name: 'good link' })).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await readme.getByText('bad link').click();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.getByRole('link', { name: 'example.com/marmots' })).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await expect(page.getByText('Curated description of a marmot detector').first()).toBeVisible();

  const search = await (await api.get('/api/v1/search?q=alpine')).json();
  expect(search.packages.map((p: { name: string }) => p.name)).toContain(name);
});

test('a viewer sees channels read-only and no Edit or Delete; the server refuses them anyway', async ({ page, api, request }) => {
  const name = uniqueName('ro');
  await publishVersions(api, name, ['1.0.0']);
  expect((await api.put(`/api/v1/packages/${name}/channels/stable`, { data: { version: '1.0.0' } })).status()).toBe(200);
  const username = uniqueName('viewer');
  const { token, password } = await userWithToken(api, request, { username, roles: ['viewer'] });

  await signIn(page, username, password, `/packages/${name}`);
  await expect(page.getByRole('region', { name: 'Channels' }).getByRole('row', { name: /stable 1\.0\.0/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set channel' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);

  const auth = { authorization: `Bearer ${token}` };
  expect((await request.delete(`/api/v1/packages/${name}`, { headers: auth })).status()).toBe(403);
  expect((await request.patch(`/api/v1/packages/${name}`, { headers: auth, data: { description: 'x' } })).status()).toBe(403);
});
