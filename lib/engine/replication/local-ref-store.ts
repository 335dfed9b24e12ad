import { randomUUID } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, makeDurableDir } from '../storage/local-blob-store';
import { decodeRef, encodeRef, refKey } from './ref-codec';
import type { NodeRef, RefStore } from './types';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Refs as files under `<root>/refs/<name>/<version>.json`, written to a temp file, fsynced and renamed. */
export function createLocalRefStore(root: string): RefStore {
  const file = (name: string, version: string) => path.join(root, refKey('', name, version));
  const tmpDir = path.join(root, '.tmp');
  return {
    async put(ref: NodeRef) {
      const dest = file(ref.name, ref.version);
      await makeDurableDir(path.dirname(dest));
      await makeDurableDir(tmpDir);
      const tmp = path.join(tmpDir, `ref-${randomUUID()}`);
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(encodeRef(ref));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, dest);
      await fsyncDir(path.dirname(dest));
    },
    async get(name, version) {
      const f = file(name, version);
      try {
        return decodeRef(await readFile(f, 'utf8'), f);
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(name, version) {
      const f = file(name, version);
      try {
        await unlink(f);
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
      await fsyncDir(path.dirname(f));
      return true;
    },
    async *list() {
      const refsDir = path.join(root, 'refs');
      let names: string[];
      try {
        names = await readdir(refsDir);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for (const name of names.sort()) {
        let files: string[];
        try {
          files = await readdir(path.join(refsDir, name));
        } catch (err) {
          if (isMissing(err)) continue;
          throw err;
        }
        for (const f of files.sort()) {
          if (!f.endsWith('.json')) continue;
          const ref = await this.get(name, f.slice(0, -'.json'.length));
          if (ref) yield ref;
        }
      }
    },
  };
}
