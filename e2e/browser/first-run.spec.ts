import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * A second origin on a fresh data dir with no TORSH_ADMIN_PASSWORD: the first visit leads to the
 * one-time setup page, which creates the first admin and closes behind it.
 */
const PORT = Number(process.env.E2E_PORT ?? 3199) + 7;
const BASE = `http://127.0.0.1:${PORT}`;
let server: ChildProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'torsh-first-run-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), TORSH_DATA_DIR: dataDir, TORSH_SKIP_BUILD: '1' };
  delete env.TORSH_ADMIN_PASSWORD;
  server = spawn(process.execPath, ['bin/start.mjs'], { env, stdio: 'ignore' });
  await expect
    .poll(async () => (await fetch(`${BASE}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 60_000 })
    .toBe(200);
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

test('first visit goes to setup; setup creates the admin, signs in, and is closed afterwards', async ({ page }) => {
  expect(await (await fetch(`${BASE}/api/v1/me`)).json()).toEqual({ user: null, needs_setup: true });
  await page.goto(`${BASE}/`);
  await expect(page).toHaveURL(/\/setup/);
  await page.getByLabel('Username').fill('root');
  await page.getByLabel('Email').fill('root@example.test');
  await page.getByLabel('Password', { exact: true }).fill('root-password-1');
  await page.getByLabel('Confirm password').fill('root-password-1');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page).not.toHaveURL(/\/setup/);
  await expect(page.getByRole('region', { name: 'Account' })).toContainText('root');

  const second = await fetch(`${BASE}/api/v1/me`);
  expect((await second.json()).needs_setup).toBe(false);
  await page.goto(`${BASE}/setup`);
  await page.getByLabel('Username').fill('second');
  await page.getByLabel('Email').fill('second@example.test');
  await page.getByLabel('Password', { exact: true }).fill('second-password-1');
  await page.getByLabel('Confirm password').fill('second-password-1');
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'setup is already complete' })).toBeVisible();
});
