import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RepoBackend } from '../../types';
import { createLocalRepoBackend } from '../local-backend';

/** Temp folders for local repositories, removed by cleanup(). */
export function tempRepoDirs() {
  const dirs: string[] = [];
  return {
    async backend(): Promise<RepoBackend & { root: string }> {
      const d = await mkdtemp(path.join(os.tmpdir(), 'torsh-repo-'));
      dirs.push(d);
      return Object.assign(createLocalRepoBackend(path.join(d, 'repo')), { root: path.join(d, 'repo') });
    },
    async cleanup() {
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    },
  };
}
