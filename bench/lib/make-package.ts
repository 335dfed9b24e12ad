// Builds a benchmark package: one large stored (uncompressed) random model file plus a tiny config.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { writePackage } from '../../lib/engine/format/write-package';

const CHUNK = 4 * 1024 * 1024;

/** Writes `bytes` random bytes to `file`, streaming 4 MiB chunks (never the whole file in memory). */
export async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  try {
    let left = bytes;
    while (left > 0) {
      const n = Math.min(CHUNK, left);
      const chunk = await new Promise<Buffer>((resolve, reject) =>
        randomBytes(n, (err, buf) => (err ? reject(err) : resolve(buf))),
      );
      left -= n;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (err) {
    out.destroy();
    throw err;
  }
  out.end();
  await closed;
}

export type BenchPackage = { name: string; version: string; file: string; bytes: number };

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
    manifest: {
      name,
      version,
      format_version: '1.0.0',
      created_at: new Date().toISOString(),
      description: `Benchmark package: a ${mib} MiB stored, uncompressed random model file`,
      modules: [],
      resources: [],
      dependencies: {},
      metadata: {},
    },
    files: [
      { path: 'models/model.bin', source: modelFile },
      { path: 'config/config.json', source: Buffer.from('{}') },
    ],
  });
  const { size } = await stat(file);
  return { name, version, file, bytes: size };
}
