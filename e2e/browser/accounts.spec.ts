import { ADMIN, expect, signIn, test } from '../support/fixtures';
import { queryDb, samplePackage, uniqueName } from '../support/registry';

test('an admin creates a custom role and a user; the user signs in, publishes, cannot open admin pages; each step is audited', async ({
  adminPage: page,
}) => {
  const role = uniqueName('pub').replace(/[^a-z0-9-]/g, '');
  const username = uniqueName('ml-eng');
  const password = 'a-long-user-password';

  await page.goto('/admin/roles');
  await page.getByRole('button', { name: 'New role' }).click();
  const roleDialog = page.getByRole('dialog', { name: 'New role' });
  await roleDialog.getByLabel('Name', { exact: true }).fill(role);
  for (const p of ['ReadMetadata', 'Download', 'Publish']) await roleDialog.getByLabel(p, { exact: true }).check();
  await roleDialog.getByRole('button', { name: 'Create role' }).click();
  await expect(roleDialog).toBeHidden();
  await expect(page.getByRole('checkbox', { name: `${role}: Publish` })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: `${role}: Yank` })).not.toBeChecked();

  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const userDialog = page.getByRole('dialog', { name: 'New user' });
  await userDialog.getByLabel('Username').fill(username);
  await userDialog.getByLabel('Email').fill(`${username}@example.test`);
  await userDialog.getByLabel('Password').fill(password);
  await userDialog.getByLabel(role, { exact: true }).check();
  await userDialog.getByRole('button', { name: 'Create user' }).click();
  await expect(userDialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(username) })).toContainText(role);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, username, password);

  const name = uniqueName('role-pub');
  const pkg = await samplePackage({ name, version: '1.0.0' });
  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Published ${name}@1.0.0` })).toBeVisible();

  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { name: 'You do not have permission to manage users' })).toBeVisible();
  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { name: 'You do not have permission to view the audit log' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/admin/audit?actor=${username}`);
  const table = page.getByRole('table');
  await expect(table).toContainText('auth.login');
  await expect(table).toContainText('version.publish');
  await expect(table).toContainText(`${name}@1.0.0`);
  await page.goto(`/admin/audit?target=${role}`);
  await expect(page.getByRole('table')).toContainText('role.create');
  await page.goto(`/admin/audit?target=${username}`);
  await expect(page.getByRole('table')).toContainText('user.create');

  const rows = queryDb<{ action: string; result: string }>(
    "SELECT action, result FROM audit_events WHERE (target = ? OR target = ? OR actor = ?) AND action != 'auth.logout' ORDER BY id",
    role,
    username,
    `user:${username}`,
  );
  expect(rows).toEqual(
    expect.arrayContaining([
      { action: 'role.create', result: 'ok' },
      { action: 'user.create', result: 'ok' },
      { action: 'version.publish', result: 'ok' },
    ]),
  );
});

test('a wrong password gets the generic message; the setup page is closed once users exist', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('definitely-wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid username or password.' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  const attempt = queryDb<{ success: number }>("SELECT success FROM login_attempts WHERE username = 'admin' ORDER BY id DESC LIMIT 1");
  expect(attempt).toEqual([{ success: 0 }]);

  await page.goto('/setup');
  await page.getByLabel('Username').fill('intruder');
  await page.getByLabel('Email').fill('intruder@example.test');
  await page.getByLabel('Password', { exact: true }).fill('intruder-password');
  await page.getByLabel('Confirm password').fill('intruder-password');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'setup is already complete' })).toBeVisible();
  expect(queryDb("SELECT 1 FROM users WHERE username = 'intruder'")).toEqual([]);
});

test('the last admin cannot lose the admin role; built-in roles cannot be deleted', async ({ adminPage: page }) => {
  await page.goto('/admin/users');
  await page.getByRole('row', { name: /\(you\)/ }).getByRole('button', { name: 'Edit roles' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('admin', { exact: true }).uncheck();
  await dialog.getByLabel('viewer', { exact: true }).check();
  await dialog.getByRole('button', { name: 'Save roles' }).click();
  await expect(dialog.getByRole('alert')).toContainText('would leave no enabled admin');
  expect(queryDb("SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id WHERE u.username = 'admin'")).toEqual([
    { name: 'admin' },
  ]);

  await page.goto('/admin/roles');
  for (const builtIn of ['admin', 'maintainer', 'contributor', 'viewer']) {
    await expect(page.getByRole('group', { name: `Role ${builtIn}` }).getByRole('button', { name: 'Delete' })).toHaveCount(0);
  }
});

test('API tokens: created in the UI, shown once, usable, revocable', async ({ adminPage: page, request }) => {
  const tokenName = uniqueName('ui-token');
  await page.goto('/tokens');
  await page.getByRole('button', { name: 'New token' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New token' });
  await dialog.getByLabel('Name', { exact: true }).fill(tokenName);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByLabel('New token secret').textContent())!.trim();
  expect(secret).toMatch(/^torsh_[a-f0-9]{12}_/);
  await expect(page.getByText('This token will not be shown again.')).toBeVisible();
  const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
  expect((await me.json()).user.username).toBe('admin');
  await page.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('row', { name: new RegExp(tokenName) }).getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByRole('row', { name: new RegExp(tokenName) })).toContainText('Revoked');
  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
  // The secret never reaches the audit log.
  expect(queryDb('SELECT 1 FROM audit_events WHERE target LIKE ?', `%${secret.slice('torsh_'.length + 13)}%`)).toEqual([]);
});
