import { expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, startRole } from '@/lib/server/test-support/role-process';
it('torsh serve --role origin: the API and /metrics without the dashboard, admin from TORSH_ADMIN_PASSWORD, clean exit on SIGTERM', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'o-'));
  const o = await startRole(['--role', 'origin', '--data', dir], { TORSH_ADMIN_PASSWORD: 'pass-word-123' });
  const h = await (await fetch(`${o.url}/api/v1/health`)).json();
  expect(h.role).toBe('origin');
  const t = await adminToken(o.url, 'pass-word-123');
  expect(t).toMatch(/torsh_/);
  const r = await fetch(`${o.url}/`); expect(r.status).toBe(404);
  await o.stop();
  expect(o.proc.exitCode).toBe(0);
}, 60000);
