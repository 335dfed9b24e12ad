import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { FORMAT_VERSION } from '../format';
import { writePackage } from '../format/write-package';
import { publishVersion } from '../registry';
import { tempEngine } from '../test-support/temp-engine';
import { createRegistrySnapshot } from './create-snapshot';
import { tempBackupRepo } from './test-support/snapshot-repo';

const MiB = 1024 * 1024;
const MODEL = 256 * MiB;

let engine: Awaited<ReturnType<typeof tempEngine>>;
let repo: Awaited<ReturnType<typeof tempBackupRepo>>;
let dir: string;

beforeAll(async () => {
  engine = await tempEngine();
  repo = await tempBackupRepo();
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-dedup-'));
});
afterAll(async () => {
  await engine?.cleanup();
  await repo?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A package whose models/model.bin (STORED, as weights are) holds these bytes. */
async function publishModel(version: string, model: Buffer): Promise<void> {
  const modelFile = path.join(dir, `model-${version}.bin`);
  await writeFile(modelFile, model);
  const file = path.join(dir, `big-${version}.torshpkg`);
  const manifest = { name: 'big', version, format_version: FORMAT_VERSION, created_at: '2026-01-01T00:00:00.000Z', modules: [], resources: [], dependencies: {}, metadata: {} };
  await writePackage(file, { manifest, files: [{ path: 'models/model.bin', source: modelFile }, { path: 'config/config.json', source: Buffer.from('{}') }] });
  await rm(modelFile);
  await publishVersion(engine, SYSTEM, { name: 'big', version, source: { kind: 'stream', body: createReadStream(file), contentLength: (await stat(file)).size } });
  await rm(file);
}

it('a new version differing in 5 % of a 256 MiB model (overwrites and shifting inserts) adds at most ~10 % of its size', { timeout: 600_000 }, async () => {
  const v1 = randomFillSync(Buffer.allocUnsafe(MODEL));
  await publishModel('1.0.0', v1);
  const first = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
  expect(first.stats.newBytes).toBeGreaterThan(MODEL);

  // 5 % of the bytes: two 6 MiB stretches overwritten, two 400 KiB runs inserted (everything after them shifts).
  const changed = 12 * MiB + 800 * 1024;
  expect(changed / MODEL).toBeCloseTo(0.05, 2);
  const v2 = Buffer.concat([
    v1.subarray(0, 20 * MiB),
    randomFillSync(Buffer.alloc(6 * MiB)),
    v1.subarray(26 * MiB, 90 * MiB),
    randomFillSync(Buffer.alloc(400 * 1024)),
    v1.subarray(90 * MiB, 150 * MiB),
    randomFillSync(Buffer.alloc(6 * MiB)),
    v1.subarray(156 * MiB, 210 * MiB),
    randomFillSync(Buffer.alloc(400 * 1024)),
    v1.subarray(210 * MiB),
  ]);
  await publishModel('1.1.0', v2);
  const second = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
  const db = second.files.find((f) => f.path === 'db/torsh.db')!;
  expect(second.stats.logicalBytes).toBeGreaterThan(2 * MODEL);
  console.log(`second snapshot: ${(second.stats.newBytes / MiB).toFixed(1)} MiB new (${((100 * second.stats.newBytes) / MODEL).toFixed(1)} % of the model; database ${(db.size / MiB).toFixed(2)} MiB)`);
  expect(second.stats.newBytes).toBeLessThanOrEqual(0.1 * MODEL + db.size);
});
