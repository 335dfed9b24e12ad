import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { actorForUser } from '../../access/actor-for-user';
import { bootstrapAccounts } from '../../access/bootstrap';
import { createUser, getUser } from '../../access/users';
import type { Actor } from '../../actor';
import { registryKey } from '../../security/registry-key';
import { tempEngine } from '../../test-support/temp-engine';
import { tempBackupRepo } from './snapshot-repo';

export type TestEngine = Awaited<ReturnType<typeof tempEngine>>;
export type TestRepo = Awaited<ReturnType<typeof tempBackupRepo>>;
export type RegistryBackupFixture = { engine: TestEngine; repo: TestRepo; alice: Actor; scratch: string; cleanup(): Promise<void> };

/**
 * A registry to back up (accounts, the registry key, a maintainer "alice" who publishes), a new
 * backup repository and a scratch folder to restore into; `cleanup` removes all three.
 */
export async function registryBackupFixture(scratchPrefix: string): Promise<RegistryBackupFixture> {
  const engine = await tempEngine();
  await bootstrapAccounts(engine, undefined);
  const repo = await tempBackupRepo();
  const scratch = await mkdtemp(path.join(os.tmpdir(), scratchPrefix));
  const { id } = await createUser(engine, { username: 'alice', email: 'alice@x.test', password: 'alice-password-1', roles: ['maintainer'] });
  const alice = actorForUser(engine, getUser(engine, id), { sessionId: 'test' });
  await registryKey(engine);
  return {
    engine,
    repo,
    alice,
    scratch,
    cleanup: async () => {
      await engine.cleanup();
      await repo.cleanup();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
