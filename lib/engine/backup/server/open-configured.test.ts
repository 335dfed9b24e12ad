import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine } from '../../test-support/temp-engine';
import { openRepoBackend } from '../repo/open-backend';
import { initRepository } from '../repo/repository';
import { openConfiguredRepository } from './open-configured';
import { repositoryRow } from './repository-rows';
import { seedRepositoryRow } from './test-support/seed-repository';

let engine: Awaited<ReturnType<typeof tempEngine>>;
let dir: string;
beforeEach(async () => {
  engine = await tempEngine();
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-open-configured-'));
});
afterEach(async () => {
  await engine.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('openConfiguredRepository', () => {
  it('opens the repository configured, and refuses another one found at its location', async () => {
    const folder = path.join(dir, 'repo');
    const pw = path.join(dir, 'pw');
    await writeFile(pw, 'pw-1\n');
    const repo = await initRepository(openRepoBackend({ type: 'local', path: folder }), 'pw-1');
    seedRepositoryRow(engine, 'main', { folder, passwordSource: { type: 'file', path: pw } });
    engine.db.$client.prepare('UPDATE backup_repositories SET repo_uid = ?').run(repo.config.id);
    expect((await openConfiguredRepository(repositoryRow(engine, 'main'))).config.id).toBe(repo.config.id);

    // Emptied and initialised again: same place, same password, another repository.
    await rm(folder, { recursive: true });
    await initRepository(openRepoBackend({ type: 'local', path: folder }), 'pw-1');
    await expect(openConfiguredRepository(repositoryRow(engine, 'main'))).rejects.toMatchObject({
      code: 'BACKUP_REPO_UNAVAILABLE',
      message: expect.stringMatching(/now holds another repository/),
    });
  });

  it('reads the password at each open: a changed file opens nothing', async () => {
    const folder = path.join(dir, 'repo');
    const pw = path.join(dir, 'pw');
    const repo = await initRepository(openRepoBackend({ type: 'local', path: folder }), 'pw-1');
    seedRepositoryRow(engine, 'main', { folder, passwordSource: { type: 'file', path: pw } });
    engine.db.$client.prepare('UPDATE backup_repositories SET repo_uid = ?').run(repo.config.id);
    await writeFile(pw, 'pw-2');
    await expect(openConfiguredRepository(repositoryRow(engine, 'main'))).rejects.toMatchObject({ code: 'BACKUP_WRONG_PASSWORD' });
  });
});
