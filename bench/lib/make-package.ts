// Builds a benchmark package: one large stored (uncompressed) random model file plus a tiny config.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { writePackage } from '../../lib/engine/format/write-package';
import { writeRandomFile } from './random-file';

export type BenchPackage = { name: string; version: string; file: string; bytes: number };

/** A format 1.0.0 manifest for a benchmark package. */
export function benchManifest(name: string, version: string, description: string) {
  return { name, version, format_version: '1.0.0', created_at: new Date().toISOString(), description, modules: [], resources: [], dependencies: {}, metadata: {} };
}

export function packageName(mib: number): string {
  return `bench-${mib}m`;
}

/** Writes a random `mib` MiB model file (the bulk of every package of that size). */
export async function makeModelFile(dir: string, mib: number): Promise<string> {
  const file = path.join(dir, `${packageName(mib)}.model.bin`);
  await writeRandomFile(file, mib * 1024 * 1024);
  return file;
}

/** Creates `<dir>/<name>-<version>.torshpkg`: the model file stored (uncompressed) as models/model.bin. */
export async function makePackage(dir: string, mib: number, version: string, modelFile: string): Promise<BenchPackage> {
  const name = packageName(mib);
  const file = path.join(dir, `${name}-${version}.torshpkg`);
  await writePackage(file, {
    manifest: benchManifest(name, version, `Benchmark package: a ${mib} MiB stored, uncompressed random model file`),
    files: [
      { path: 'models/model.bin', source: modelFile },
      { path: 'config/config.json', source: Buffer.from('{}') },
    ],
  });
  const { size } = await stat(file);
  return { name, version, file, bytes: size };
}
