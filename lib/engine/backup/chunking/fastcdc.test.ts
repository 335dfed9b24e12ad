import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNKER, type ChunkerParams } from '../types';
import { chunkStream, gearTable, type ChunkerImpl } from './fastcdc';

const SMALL: ChunkerParams = { minSize: 16 * 1024, avgSize: 64 * 1024, maxSize: 256 * 1024 };
const KEY = Buffer.alloc(32, 1);

/** Deterministic pseudo-random bytes (AES-CTR keyed by the seed), so failures reproduce. */
function bytes(n: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

async function* pieces(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let off = 0; off < data.length; off += size) yield data.subarray(off, off + size);
}

async function chunksOf(data: Buffer, params: ChunkerParams, key = KEY, pieceSize = 64 * 1024, impl: ChunkerImpl = 'wasm'): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of chunkStream(pieces(data, pieceSize), params, gearTable(key), impl)) out.push(c);
  return out;
}

const digests = (chunks: Buffer[]) => chunks.map((c) => createHash('sha256').update(c).digest('hex'));

describe('chunkStream', () => {
  it('cuts chunks within min and max (the last may be shorter) that concatenate to the input', async () => {
    const data = bytes(8 * 1024 * 1024 + 12345, 'sizes');
    const chunks = await chunksOf(data, SMALL);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(SMALL.minSize);
      expect(c.length).toBeLessThanOrEqual(SMALL.maxSize);
    }
    expect(chunks.at(-1)!.length).toBeLessThanOrEqual(SMALL.maxSize);
    const mean = data.length / chunks.length;
    expect(mean).toBeGreaterThan(SMALL.avgSize * 0.6);
    expect(mean).toBeLessThan(SMALL.avgSize * 1.6);
  });

  it('averages about 1 MiB with the default parameters', async () => {
    const data = bytes(48 * 1024 * 1024, 'default');
    const chunks = await chunksOf(data, DEFAULT_CHUNKER, KEY, 1024 * 1024);
    const mean = data.length / chunks.length;
    expect(mean).toBeGreaterThan(0.7 * 1024 * 1024);
    expect(mean).toBeLessThan(1.6 * 1024 * 1024);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(DEFAULT_CHUNKER.minSize);
  });

  it('is deterministic whatever the sizes of the pieces read', async () => {
    const data = bytes(3 * 1024 * 1024, 'determinism');
    const a = digests(await chunksOf(data, SMALL, KEY, 64 * 1024));
    const b = digests(await chunksOf(data, SMALL, KEY, 1000));
    const c = digests(await chunksOf(data, SMALL, KEY, data.length));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('cuts where the JavaScript reference cuts, across window refills, and hands out chunks that stay intact', async () => {
    const data = bytes(40 * 1024 * 1024 + 999, 'wasm-vs-js');
    const wasm = await chunksOf(data, SMALL, KEY, 1_000_003, 'wasm');
    const js = await chunksOf(data, SMALL, KEY, 4096, 'js');
    expect(wasm.map((c) => c.length)).toEqual(js.map((c) => c.length));
    expect(digests(wasm)).toEqual(digests(js));
    expect(Buffer.concat(wasm).equals(data)).toBe(true);
  });

  it('re-synchronises after an insertion and an edit: most chunks are shared', async () => {
    const data = bytes(8 * 1024 * 1024, 'resync');
    const edited = Buffer.concat([data.subarray(0, 3_000_000), bytes(777, 'inserted'), data.subarray(3_000_000)]);
    bytes(100, 'overwrite').copy(edited, 6_000_000);
    const before = new Set(digests(await chunksOf(data, SMALL)));
    const after = digests(await chunksOf(edited, SMALL));
    const fresh = after.filter((d) => !before.has(d));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThanOrEqual(6);
    expect(fresh.length / after.length).toBeLessThan(0.1);
  });

  it('cuts at other places under another key', async () => {
    const data = bytes(4 * 1024 * 1024, 'keys');
    const lengths = (cs: Buffer[]) => cs.map((c) => c.length).join(',');
    const a = await chunksOf(data, SMALL, KEY);
    const b = await chunksOf(data, SMALL, Buffer.alloc(32, 2));
    expect(lengths(b)).not.toBe(lengths(a));
    const shared = new Set(digests(a));
    expect(digests(b).filter((d) => shared.has(d)).length).toBeLessThan(a.length / 4);
  });

  it('yields nothing for an empty stream and one short chunk for a short one', async () => {
    expect(await chunksOf(Buffer.alloc(0), SMALL)).toEqual([]);
    const short = bytes(1000, 'short');
    const chunks = await chunksOf(short, SMALL);
    expect(chunks).toHaveLength(1);
    expect(chunks[0].equals(short)).toBe(true);
  });
});

describe('gearTable', () => {
  it('depends on the key', () => {
    expect(gearTable(KEY)).toEqual(gearTable(Buffer.from(KEY)));
    expect(gearTable(KEY)).not.toEqual(gearTable(randomBytes(32)));
  });
});
