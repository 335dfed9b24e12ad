import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files under `dir` (recursive) and the sum of their sizes: what a repository takes on disk. */
export async function treeSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return { files, bytes };
}
