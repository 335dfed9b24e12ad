import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../engine';
import { DEFAULT_LIMITS, type PackageLimits } from '../limits';

/** An engine on a fresh temp data dir (real SQLite file, real blob store). */
export async function tempEngine(limits: Partial<PackageLimits> = {}): Promise<Engine & { cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'torsh-engine-'));
  const engine = createEngine({ dataDir, limits: { ...DEFAULT_LIMITS, ...limits } });
  return {
    ...engine,
    async cleanup() {
      engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every file under the blob store (committed blobs and temp files), relative paths. */
export async function listBlobFiles(engine: Engine): Promise<string[]> {
  const root = path.join(engine.dataDir, 'blobs');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}
