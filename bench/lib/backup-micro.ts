// Chunking and packing figures on one thread (CPU time, so other load skews them less): the
// figures the chunker and the compression were chosen on (lib/engine/backup/chunking).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { chunkStream, gearTable, type ChunkerImpl } from '../../lib/engine/backup/chunking/fastcdc';
import { packChunk, unpackChunk } from '../../lib/engine/backup/chunking/compress';
import { DEFAULT_CHUNKER } from '../../lib/engine/backup/types';
import type { MicroRow } from './backup-results';
import { fmt, MB, MiB } from './format';
import { fillWeights, type WeightsKind } from './model-weights';

function cpuSeconds(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

async function cpuSecondsAsync(fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  for (let off = 0; off < data.length; off += 8 * MiB) yield data.subarray(off, off + 8 * MiB);
}

/** Best of `reps` (MB/s) for the chunker over `mib` MiB of random bytes, and the mean chunk size. */
async function chunkerFigures(data: Buffer, gear: Int32Array, impl: ChunkerImpl, reps: number): Promise<{ mbps: number; meanChunk: number }> {
  let best = 0;
  let chunks = 0;
  for (let r = 0; r < reps; r++) {
    chunks = 0;
    const s = await cpuSecondsAsync(async () => {
      for await (const _ of chunkStream(pieces(data), DEFAULT_CHUNKER, gear, impl)) chunks++;
    });
    best = Math.max(best, data.length / s / MB);
  }
  return { mbps: best, meanChunk: data.length / chunks };
}

function packFigures(label: string, data: Buffer, out: MicroRow[]): void {
  const chunks: Buffer[] = [];
  for (let off = 0; off < data.length; off += MiB) chunks.push(data.subarray(off, off + MiB));
  let packed: Buffer[] = [];
  const tp = cpuSeconds(() => {
    packed = chunks.map(packChunk);
  });
  const td = cpuSeconds(() => {
    for (const p of packed) unpackChunk(p, 4 * MiB);
  });
  const stored = packed.reduce((n, p) => n + p.length, 0);
  out.push({
    label: `packChunk, ${label} (1 MiB chunks): stored / raw, pack MB/s, unpack MB/s`,
    value: `${fmt((stored / data.length) * 100, 1)} %, ${fmt(data.length / tp / MB)}, ${fmt(data.length / td / MB)}`,
  });
}

export async function backupMicro(quick: boolean, sqliteFile: string | null): Promise<MicroRow[]> {
  const out: MicroRow[] = [];
  const data = randomBytes((quick ? 32 : 256) * MiB);
  const gear = gearTable(randomBytes(32));
  for (const impl of ['wasm', 'js'] as const) {
    const c = await chunkerFigures(data, gear, impl, quick ? 1 : 3);
    const what = impl === 'wasm' ? 'WebAssembly scan loop (used)' : 'JavaScript scan loop (reference)';
    out.push({ label: `FastCDC chunker, ${what}, keyed gear table, ${DEFAULT_CHUNKER.avgSize / MiB} MiB average, random bytes`, value: `${fmt(c.mbps)} MB/s, mean chunk ${fmt(c.meanChunk / MiB, 2)} MiB` });
  }
  const mib = quick ? 8 : 32;
  for (const kind of ['random', 'float32', 'bfloat16'] as WeightsKind[]) packFigures(`${kind} weights`, fillWeights(Buffer.allocUnsafe(mib * MiB), kind), out);
  if (sqliteFile) packFigures('the registry SQLite database', await readFile(sqliteFile), out);
  return out;
}
