import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { E2E_MAX_UPLOAD_BYTES } from '../../playwright.config';
import { adminToken, expect, test } from '../support/fixtures';
import { blobFiles, dataDir, queryDb, samplePackage, uniqueName, userWithToken } from '../support/registry';

const MiB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const tusMetadata = (name: string, version: string) => `filename ${b64('m.torshpkg')},name ${b64(name)},version ${b64(version)}`;

/**
 * A package with a stored random model file just under the server's upload limit (the e2e server
 * runs with a 48 MiB limit, see playwright.config.ts): the page sends it in about eight chunks.
 */
async function largePackage(name: string, modelBytes = E2E_MAX_UPLOAD_BYTES - MiB) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-e2e-tus-'));
  const model = path.join(dir, 'model.bin');
  await writeFile(model, randomBytes(modelBytes));
  return samplePackage({ name, version: '1.0.0', dir, files: [{ path: 'models/model.bin', source: model }] });
}

/** Hold every chunk (PATCH) a while before it goes out, so the test can act mid-upload. */
async function slowChunks(page: Page, delayMs: number): Promise<void> {
  await page.route('**/api/v1/uploads/**', async (route) => {
    if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, delayMs));
    // The page may have reloaded (or paused) meanwhile: the request is gone then.
    await route.continue().catch(() => {});
  });
}

/** Upload-Offset of every chunk the page sends from now on. */
function recordChunkOffsets(page: Page): number[] {
  const offsets: number[] = [];
  page.on('request', (req) => {
    if (req.method() === 'PATCH' && req.url().includes('/api/v1/uploads/')) offsets.push(Number(req.headers()['upload-offset']));
  });
  return offsets;
}

const progressOf = async (page: Page) => Number(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow'));

// The server creates the folder at start: a missing one is an error, not "nothing left behind".
const uploadsDirFiles = () => readdirSync(path.join(dataDir(), 'uploads')).sort();

test('an upload survives a page reload: the same file resumes from the server’s offset and is published', async ({ adminPage: page }) => {
  page.on('dialog', (dialog) => void dialog.accept()); // "leave the page?" while uploading
  const name = uniqueName('resume');
  const pkg = await largePackage(name);
  await slowChunks(page, 400);

  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect.poll(() => progressOf(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
  await page.reload();

  const offsets = recordChunkOffsets(page);
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  const resume = page.getByRole('button', { name: /^Resume upload \(\d+% done\)$/ });
  await expect(resume).toBeVisible();
  expect(Number(/\((\d+)%/.exec((await resume.textContent())!)![1])).toBeGreaterThan(0);
  await resume.click();
  await expect.poll(() => offsets.length, { timeout: 10_000 }).toBeGreaterThan(0);
  // The first chunk after the reload continues where the server stopped, not at 0.
  expect(offsets[0]).toBeGreaterThan(0);
  expect(await progressOf(page)).toBeGreaterThan(0);

  await expect(page.getByRole('status').filter({ hasText: `Published ${name}@1.0.0` })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(pkg.digest).first()).toBeVisible();
  await page.getByRole('link', { name: 'View package' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  expect((await page.getByLabel('sha256 checksum').textContent())!.trim()).toBe(pkg.digest);
  expect(queryDb<{ n: number }>('SELECT count(*) AS n FROM audit_events WHERE action = ? AND target = ?', 'upload.create', `${name}@1.0.0`)[0].n).toBe(1);
  expect(uploadsDirFiles().filter((f) => !f.startsWith('.'))).toEqual([]);
});

test('Pause stops sending; Resume continues from the server’s offset and publishes', async ({ adminPage: page }) => {
  const name = uniqueName('pause');
  const pkg = await largePackage(name);
  await slowChunks(page, 300);
  const offsets = recordChunkOffsets(page);

  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect.poll(() => progressOf(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();
  const sentBeforePause = offsets.length;
  await page.waitForTimeout(1000);
  expect(offsets.length).toBe(sentBeforePause);

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect.poll(() => offsets.length).toBeGreaterThan(sentBeforePause);
  expect(offsets[sentBeforePause]).toBeGreaterThan(0);
  await expect(page.getByRole('status').filter({ hasText: `Published ${name}@1.0.0` })).toBeVisible({ timeout: 30_000 });
  expect(queryDb('SELECT 1 FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ?', name)).toHaveLength(1);
});

test('the upload endpoint refuses anonymous (401) and viewer (403) callers; others’ uploads are not found (404)', async ({ request, api }) => {
  const name = uniqueName('tusauth');
  const create = { ...TUS, 'upload-length': '100', 'upload-metadata': tusMetadata(name, '1.0.0') };

  const anon = await request.post('/api/v1/uploads', { headers: create });
  expect(anon.status()).toBe(401);
  expect((await anon.json()).error.code).toBe('UNAUTHENTICATED');

  const viewer = await userWithToken(api, request, { username: uniqueName('viewer'), roles: ['viewer'] });
  const refused = await request.post('/api/v1/uploads', { headers: { ...create, authorization: `Bearer ${viewer.token}` } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('FORBIDDEN');

  const created = await request.post('/api/v1/uploads', { headers: { ...create, authorization: `Bearer ${await adminToken(request)}` } });
  expect(created.status()).toBe(201);
  const location = created.headers()['location'];
  expect(location).toMatch(/^\/api\/v1\/uploads\/[0-9a-f]{32}$/);
  const other = await userWithToken(api, request, { username: uniqueName('contrib'), roles: ['contributor'] });
  const theirs = { ...TUS, authorization: `Bearer ${other.token}` };
  expect((await request.head(location, { headers: theirs })).status()).toBe(404);
  expect((await request.patch(location, { headers: { ...theirs, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, data: Buffer.alloc(10) })).status()).toBe(404);
  expect((await request.delete(location, { headers: theirs })).status()).toBe(404);
  expect((await request.head(location, { headers: TUS })).status()).toBe(401);

  const own = { ...TUS, authorization: `Bearer ${await adminToken(request)}` };
  const head = await request.head(location, { headers: own });
  expect(head.status()).toBe(200);
  expect(head.headers()['upload-offset']).toBe('0');
  expect((await request.delete(location, { headers: own })).status()).toBe(204);
  expect((await request.head(location, { headers: own })).status()).toBe(404);
});

test('a package over the upload limit is refused when the upload is created (413)', async ({ adminPage: page }) => {
  const name = uniqueName('toobig');
  const pkg = await largePackage(name, E2E_MAX_UPLOAD_BYTES + MiB);
  const before = uploadsDirFiles();
  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(pkg.file);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'BODY_TOO_LARGE' });
  await expect(alert).toBeVisible();
  expect(uploadsDirFiles()).toEqual(before);
});

test('a finished upload the server rejects shows the validation error and leaves no version, no blob, nothing in uploads/', async ({ adminPage: page, request }) => {
  const name = uniqueName('tusbad');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-e2e-tus-'));
  const file = path.join(dir, `${name}-1.0.0.torshpkg`);
  const { writePackage } = await import('../../lib/engine/format/write-package');
  // Only the server can tell: the manifest's sha256 for the (multi-chunk) model file is wrong.
  await writePackage(file, {
    manifest: {
      name,
      version: '1.0.0',
      format_version: '1.0.0',
      created_at: '2026-01-01T00:00:00Z',
      resources: [{ name: 'model.bin', resource_type: 'Model', size: 3 * MiB, sha256: 'a'.repeat(64) }],
    },
    files: [{ path: 'models/model.bin', source: randomBytes(3 * MiB) }],
  });
  const blobsBefore = blobFiles();
  const uploadsBefore = uploadsDirFiles();

  await page.goto('/publish');
  await page.getByLabel('Package file').setInputFiles(file);
  const created = page.waitForResponse((res) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/api/v1/uploads');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const uploadId = (await created).headers()['location'].split('/').pop()!;
  const alert = page.getByRole('alert').filter({ hasText: 'CHECKSUM_MISMATCH' });
  await expect(alert).toBeVisible({ timeout: 30_000 });
  await expect(alert).toContainText('models/model.bin');

  expect((await request.get(`/api/v1/packages/${name}`)).status()).toBe(404);
  expect(queryDb('SELECT 1 FROM packages WHERE name = ?', name)).toEqual([]);
  expect(blobFiles()).toEqual(blobsBefore);
  expect(existsSync(path.join(dataDir(), 'uploads', uploadId))).toBe(false);
  expect(existsSync(path.join(dataDir(), 'uploads', `${uploadId}.json`))).toBe(false);
  expect(uploadsDirFiles()).toEqual(uploadsBefore);
  const audit = queryDb<{ result: string; error_code: string }>('SELECT result, error_code FROM audit_events WHERE action = ? AND target = ?', 'version.publish', `${name}@1.0.0`);
  expect(audit).toEqual([{ result: 'error', error_code: 'CHECKSUM_MISMATCH' }]);
});
