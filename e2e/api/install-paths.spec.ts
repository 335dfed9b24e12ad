import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('the origin starts from any working directory: migrations and pages resolve from the install', async () => {
  test.setTimeout(120_000);
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'torsh-elsewhere-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'torsh-paths-data-'));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'start.mjs')], {
    cwd,
    env: { ...process.env, PORT: String(port), TORSH_DATA_DIR: dataDir, TORSH_SKIP_BUILD: '1', TORSH_ADMIN_PASSWORD: 'paths-password-1', TORSH_APP_ROOT: '' },
    stdio: 'pipe',
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect.poll(async () => (await fetch(`${base}/api/v1/health`).catch(() => null))?.status ?? 0, { timeout: 90_000, message: log }).toBe(200);
    // Migrations ran (search needs the FTS table) and Next found its build (a page renders).
    expect((await fetch(`${base}/api/v1/search?q=x`)).status).toBe(200);
    expect((await fetch(`${base}/login`)).status).toBe(200);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(cwd, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});
