/**
 * Runs a prune in its own process for the SIGKILL test: prints each progress event as a JSON line on
 * stdout, then blocks until the parent writes one byte on stdin (or kills it right there).
 * Usage: node --import tsx prune-child.ts <repository dir>
 */
import { readSync, writeSync } from 'node:fs';
import { pruneRepository } from '../prune';
import { createLocalRepoBackend } from '../repo/local-backend';
import { openRepository } from '../repo/repository';
import { PASSWORD } from './retention-fixtures';

function waitForParent(): void {
  const buf = Buffer.alloc(1);
  for (;;) {
    try {
      if (readSync(0, buf, 0, 1, null) === 1) return;
      process.exit(3); // stdin closed: the parent is gone
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

async function main(): Promise<void> {
  const repo = await openRepository(createLocalRepoBackend(process.argv[2]), PASSWORD);
  const report = await pruneRepository(repo, {
    onProgress: (p) => {
      writeSync(1, `${JSON.stringify(p)}\n`);
      waitForParent();
    },
  });
  writeSync(1, `${JSON.stringify({ done: true, report })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
