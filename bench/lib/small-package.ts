// A small package with a given name (one 64 KiB random model file): for benchmarks that need many packages.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writePackage } from '../../lib/engine/format/write-package';
import { benchManifest, type BenchPackage } from './make-package';

export async function makeSmallPackage(dir: string, name: string, version: string, bytes = 64 * 1024): Promise<BenchPackage> {
  const file = path.join(dir, `${name}-${version}.torshpkg`);
  await writePackage(file, {
    manifest: benchManifest(name, version, `Benchmark package ${name}`),
    files: [{ path: 'models/model.bin', source: randomBytes(bytes) }],
  });
  return { name, version, file, bytes: (await stat(file)).size };
}
