// The registry the backup benchmark backs up: model packages published through the engine into a
// real data directory (SQLite database + local blob store), then a new version of each model.
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SYSTEM } from '../../lib/engine/actor';
import { createEngine } from '../../lib/engine/engine';
import { writePackage } from '../../lib/engine/format/write-package';
import { publishVersion } from '../../lib/engine/registry/publish-version';
import { planEdits, changedBytes } from './edit-plan';
import { writeEditedCopy } from './edited-copy';
import { benchManifest } from './make-package';
import { writeWeightsFile, type WeightsKind } from './model-weights';

export type BenchModel = { name: string; kind: WeightsKind; bytes: number; file: string };

/** ~1 GiB (quick: 64 MiB) in four models: two float32, one bfloat16, one incompressible. */
export function modelSet(totalMiB: number): { name: string; kind: WeightsKind; bytes: number }[] {
  const quarter = Math.floor(totalMiB / 4) * 1024 * 1024;
  return [
    { name: 'bench-bk-vision-f32', kind: 'float32', bytes: quarter },
    { name: 'bench-bk-text-f32', kind: 'float32', bytes: quarter },
    { name: 'bench-bk-llm-bf16', kind: 'bfloat16', bytes: quarter },
    { name: 'bench-bk-quantised', kind: 'random', bytes: quarter },
  ];
}

async function publish(dataDir: string, work: string, name: string, version: string, modelFile: string): Promise<void> {
  const pkg = path.join(work, `${name}-${version}.torshpkg`);
  await writePackage(pkg, {
    manifest: benchManifest(name, version, 'Backup benchmark model'),
    files: [
      { path: 'models/model.bin', source: modelFile },
      { path: 'config/config.json', source: Buffer.from(JSON.stringify({ hidden: 1024, layers: 24 })) },
    ],
  });
  const engine = createEngine({ dataDir });
  try {
    const size = (await stat(pkg)).size;
    await publishVersion(engine, SYSTEM, { name, version, source: { kind: 'stream', body: createReadStream(pkg), contentLength: size } });
  } finally {
    engine.close();
    await rm(pkg, { force: true });
  }
}

/** Publishes every model as 1.0.0; keeps the model files in `work` for the next version. */
export async function publishFirstVersions(dataDir: string, work: string, totalMiB: number, log: (m: string) => void): Promise<BenchModel[]> {
  const models: BenchModel[] = [];
  for (const m of modelSet(totalMiB)) {
    const file = path.join(work, `${m.name}-1.0.0.bin`);
    await writeWeightsFile(file, m.bytes, m.kind);
    await publish(dataDir, work, m.name, '1.0.0', file);
    log(`published ${m.name}@1.0.0 (${m.kind}, ${m.bytes / 1024 / 1024} MiB)`);
    models.push({ ...m, file });
  }
  return models;
}

/** Publishes 1.1.0 of every model, differing from 1.0.0 in 5 % of its bytes; returns the bytes changed. */
export async function publishEditedVersions(dataDir: string, work: string, models: BenchModel[], log: (m: string) => void): Promise<number> {
  let changed = 0;
  for (const m of models) {
    const edits = planEdits(m.bytes);
    const file = path.join(work, `${m.name}-1.1.0.bin`);
    await writeEditedCopy(m.file, file, m.bytes, edits, m.kind);
    await publish(dataDir, work, m.name, '1.1.0', file);
    await rm(file, { force: true });
    changed += changedBytes(edits);
    log(`published ${m.name}@1.1.0 (${edits.length} edits, ${changedBytes(edits)} bytes changed, one insertion)`);
  }
  return changed;
}
