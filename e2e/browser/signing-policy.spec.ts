import { expect, test } from '../support/fixtures';
import { samplePackage, uniqueName } from '../support/registry';

test('browser publishes are signed by the registry key; with that off and a signature required, they are refused', async ({ adminPage: page, api }) => {
  const name = uniqueName('web-signed');
  const pkg = await samplePackage({ name, version: '1.0.0' });
  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Published ${name}@1.0.0` })).toBeVisible();
  const meta = await (await api.get(`/api/v1/packages/${name}/1.0.0`)).json();
  const trusted = await (await api.get('/api/v1/keys/trusted')).json();
  expect(meta.signature).toMatchObject({ status: 'verified', signer: 'registry', key_id: trusted.registry_key_id });

  expect((await api.put('/api/v1/policies', { data: { require_signature: true, sign_browser_publishes: false } })).status()).toBe(200);
  try {
    const strict = uniqueName('web-unsigned');
    const unsigned = await samplePackage({ name: strict, version: '1.0.0' });
    await page.goto('/publish');
    await page.getByLabel('Package file').setInputFiles(unsigned.file);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'SIGNATURE_REQUIRED' })).toBeVisible();
    expect((await api.get(`/api/v1/packages/${strict}`)).status()).toBe(404);
  } finally {
    expect((await api.put('/api/v1/policies', { data: { require_signature: false, sign_browser_publishes: true } })).status()).toBe(200);
  }
});
