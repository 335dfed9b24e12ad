import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../errors';
import { createLocalRepoBackend } from './local-backend';
import { backendContract } from './test-support/backend-contract';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'torsh-repo-'));
  dirs.push(d);
  return d;
}

backendContract('local', async () => createLocalRepoBackend(path.join(await tempDir(), 'repo')));

describe('local repo backend', () => {
  it('leaves no temp files behind and keeps tmp/ out of listings', async () => {
    const root = await tempDir();
    const b = createLocalRepoBackend(root);
    await b.put('config', Buffer.from('{}'));
    expect(await b.putIfAbsent('config', Buffer.from('again'))).toBe(false);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    const listed: string[] = [];
    for await (const o of b.list('')) listed.push(o.key);
    expect(listed).toEqual(['config']);
  });

  it('refuses keys that leave the folder', async () => {
    const b = createLocalRepoBackend(await tempDir());
    for (const bad of ['../x', '/etc/passwd', 'a//b', 'a/./b']) {
      const err = await b.put(bad, Buffer.from('x')).catch((e) => e);
      expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
    }
  });

  it('reports an unwritable location as BACKUP_REPO_UNAVAILABLE naming it', async () => {
    const root = path.join(await tempDir(), 'file');
    await createLocalRepoBackend(path.dirname(root)).put('file', Buffer.from('not a dir'));
    const b = createLocalRepoBackend(root);
    const err = await b.put('config', Buffer.from('{}')).catch((e) => e);
    expect(isAppError(err) && err.code).toBe('BACKUP_REPO_UNAVAILABLE');
    expect(err.message).toContain(root);
  });

  it('removes temp files a killed writer left, once they are an hour old', async () => {
    const root = await tempDir();
    await mkdir(path.join(root, 'tmp'));
    await writeFile(path.join(root, 'tmp', 'old.tmp'), 'x');
    const hoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    await utimes(path.join(root, 'tmp', 'old.tmp'), hoursAgo, hoursAgo);
    await writeFile(path.join(root, 'tmp', 'fresh.tmp'), 'y');
    await createLocalRepoBackend(root).put('config', Buffer.from('{}'));
    expect(await readdir(path.join(root, 'tmp'))).toEqual(['fresh.tmp']);
  });
});
