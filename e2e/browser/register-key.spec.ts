import { generateSigningKey } from '../../lib/engine/security/signing';
import { signChallenge } from '../../lib/engine/test-support/sign-challenge';
import { expect, test } from '../support/fixtures';
import { queryDb, uniqueName } from '../support/registry';

test('Register key: the dialog shows a challenge and how to sign it; only the key’s own signature registers it', async ({ adminPage: page }) => {
  const key = generateSigningKey();
  const name = uniqueName('laptop');
  await page.goto('/keys');
  await page.getByRole('button', { name: 'Register key' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Register key' });

  const challengeBox = dialog.getByLabel('Challenge');
  await expect(challengeBox).toHaveText(/^torsh-key-proof:admin:/);
  const challenge = (await challengeBox.textContent())!.trim();
  await expect(dialog.getByText(`torsh keys prove --key signing-key.pem --challenge '${challenge}'`)).toBeVisible();
  await expect(dialog.getByText(/openssl pkeyutl -sign -inkey signing-key.pem -rawin -in challenge.txt/)).toBeVisible();

  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Public key').fill(key.publicKey);
  // Signed by another key: refused, nothing stored.
  await dialog.getByLabel('Signature').fill(signChallenge(generateSigningKey().privateKeyPem, challenge));
  await dialog.getByRole('button', { name: 'Register key' }).click();
  await expect(dialog.getByRole('alert')).toContainText('KEY_PROOF_INVALID');
  expect(queryDb('SELECT 1 FROM signing_keys WHERE key_id = ?', key.keyId)).toEqual([]);

  // A new challenge clears the signature; the key's own signature over it registers the key.
  await dialog.getByRole('button', { name: 'New challenge' }).click();
  await expect(challengeBox).not.toHaveText(challenge);
  await expect(dialog.getByLabel('Signature')).toHaveValue('');
  const fresh = (await challengeBox.textContent())!.trim();
  await dialog.getByLabel('Signature').fill(signChallenge(key.privateKeyPem, fresh));
  await dialog.getByRole('button', { name: 'Register key' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Key ${name} registered` })).toContainText(key.keyId);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Active');
  expect(queryDb('SELECT name FROM signing_keys WHERE key_id = ?', key.keyId)).toEqual([{ name }]);
  expect(queryDb("SELECT result FROM audit_events WHERE action = 'key.register' AND target = ? ORDER BY id", name)).toEqual([
    { result: 'error' },
    { result: 'ok' },
  ]);
});
