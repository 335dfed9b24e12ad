/**
 * A backup in its own process, for tests that SIGKILL it: `node --import tsx backup-child.ts
 * <repo dir> <data dir>` prints `started`, then `done <snapshot id>` if it lives that long.
 */
import path from 'node:path';
import { createLocalBlobStore } from '../../storage/local-blob-store';
import { createRegistrySnapshot } from '../create-snapshot';
import { openTestRepo } from './snapshot-repo';

async function main(): Promise<void> {
  const [repoDir, dataDir] = process.argv.slice(2);
  const repo = await openTestRepo(repoDir);
  process.stdout.write('started\n');
  const snap = await createRegistrySnapshot(repo, { dataDir, blobs: createLocalBlobStore(path.join(dataDir, 'blobs')) }, {});
  process.stdout.write(`done ${snap.id}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
