import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3199);
// Set once in the runner process; workers inherit the environment.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), 'torsh-e2e-'));
process.env.E2E_BASE_URL = `http://127.0.0.1:${PORT}`;
process.env.E2E_ADMIN_PASSWORD ??= 'e2e-admin-password';
/** Small upload limit so the 413 path can be tested without sending gigabytes. */
export const E2E_MAX_UPLOAD_BYTES = 48 * 1024 * 1024;

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npm start`,
    url: `${process.env.E2E_BASE_URL}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    env: {
      PORT: String(PORT),
      TORSH_DATA_DIR: process.env.E2E_DATA_DIR,
      TORSH_MAX_UPLOAD_BYTES: String(E2E_MAX_UPLOAD_BYTES),
      TORSH_ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
      TORSH_SKIP_BUILD: process.env.TORSH_SKIP_BUILD ?? '0',
      NEXT_TELEMETRY_DISABLED: '1',
      // Mirror checks and edge stats collection every 2 s, so the distribution pages fill quickly.
      TORSH_MIRROR_CHECK_INTERVAL_S: '2',
      TORSH_CDN_COLLECT_INTERVAL_S: '2',
      TORSH_REPLICATION_CHECK_INTERVAL_S: '2',
    },
  },
});
