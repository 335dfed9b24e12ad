import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { backupRepositories } from '@/db/schema';
import type { Engine } from '../../../engine';
import type { PasswordSource } from '../password-source';

/**
 * A configured repository row without a repository behind it (fixtures for routes that only
 * queue jobs or change settings). Its password file does not exist unless the test writes it.
 */
export function seedRepositoryRow(engine: Engine, id: string, opts: { folder?: string; passwordSource?: PasswordSource } = {}): { folder: string } {
  const folder = opts.folder ?? path.join(os.tmpdir(), `torsh-seeded-repo-${id}-${randomBytes(4).toString('hex')}`);
  const now = engine.now();
  engine.db
    .insert(backupRepositories)
    .values({
      id,
      backendType: 'local',
      backend: JSON.stringify({ type: 'local', path: folder }),
      secret: null,
      passwordSource: JSON.stringify(opts.passwordSource ?? { type: 'file', path: path.join(folder, '..', `${id}-missing-password`) }),
      repoUid: randomBytes(16).toString('hex'),
      createdAt: now,
      updatedAt: now,
    })
    .run();
  return { folder };
}
