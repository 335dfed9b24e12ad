import { createHmac } from 'node:crypto';
import type { ChunkerParams } from '../types';
import { createGearScanner, GEAR_BYTES } from './gear-wasm';

/**
 * FastCDC-style content-defined chunking (gear hash, normalised chunking level 1: a mask one bit
 * stricter than log2(avgSize) until 3/4 of avgSize, one bit looser after) with a gear table
 * derived from the repository's chunker key, so chunk boundaries reveal nothing of the content
 * to someone without the key. Cut points depend only on the last 32 bytes, so data shifted by an
 * insertion re-synchronises within a chunk or two. Level 1 with the earlier switch was chosen on
 * figures: a 256 MiB model with 5 % changed in four places (two shifting inserts) adds ~7 % of
 * its size with the 128 KiB minimum, where level 2 switching at avgSize added 8–13 %
 * (bench/RESULTS.md, Backups notes; docs/ARCHITECTURE.md).
 */
export function gearTable(chunkerKey: Buffer): Int32Array {
  const table = new Int32Array(256);
  const stream = Buffer.alloc(1024);
  for (let block = 0; block < 32; block++) {
    createHmac('sha256', chunkerKey).update(`torsh-gear-${block}`).digest().copy(stream, block * 32);
  }
  for (let i = 0; i < 256; i++) table[i] = stream.readInt32LE(i * 4);
  return table;
}

/** A mask of the `bits` highest bits: with `h << 1` the high bits depend on the last 32 bytes. */
function highMask(bits: number): number {
  return (0xffffffff << (32 - bits)) | 0;
}

/** The scan loop in JavaScript: the reference the WebAssembly one is tested against. */
function scanJs(mem: Uint8Array, gear: Int32Array, i: number, normal: number, limit: number, maskS: number, maskL: number): number {
  let h = 0;
  for (; i < normal; i++) {
    h = ((h << 1) + gear[mem[i]]) | 0;
    if ((h & maskS) === 0) return i + 1;
  }
  for (; i < limit; i++) {
    h = ((h << 1) + gear[mem[i]]) | 0;
    if ((h & maskL) === 0) return i + 1;
  }
  return limit;
}

export type ChunkerImpl = 'wasm' | 'js';

type Window = { bytes: Uint8Array; base: number; scan(i: number, normal: number, limit: number): number };

function openWindow(params: ChunkerParams, gear: Int32Array, size: number, impl: ChunkerImpl): Window {
  const bits = Math.round(Math.log2(params.avgSize));
  const maskS = highMask(bits + 1);
  const maskL = highMask(bits - 1);
  if (impl === 'js') {
    const bytes = new Uint8Array(size);
    return { bytes, base: 0, scan: (i, normal, limit) => scanJs(bytes, gear, i, normal, limit, maskS, maskL) };
  }
  const wasm = createGearScanner(gear, size);
  return { bytes: wasm.bytes, base: GEAR_BYTES, scan: (i, normal, limit) => wasm.scan(i, normal, limit, maskS, maskL) };
}

/**
 * Split a byte stream into content-defined chunks (each minSize..maxSize bytes, the last one
 * shorter). Bytes are gathered into one window of 4 × maxSize (at least 16 MiB), cut, and the
 * tail moved to the front, so memory stays bounded and each byte is copied in and out once.
 * Each chunk is a Buffer of its own: callers may keep it while the stream goes on.
 */
export async function* chunkStream(
  source: AsyncIterable<Buffer | Uint8Array>,
  params: ChunkerParams,
  gear: Int32Array,
  impl: ChunkerImpl = 'wasm',
): AsyncGenerator<Buffer> {
  const { minSize, maxSize } = params;
  const normalSize = Math.max(minSize, params.avgSize - (params.avgSize >> 2));
  const size = Math.max(16 * 1024 * 1024, 4 * maxSize);
  const win = openWindow(params, gear, size, impl);
  const { bytes, base } = win;
  let len = 0;
  /** The next chunk's length, from the window's start at `off`. */
  const cut = (off: number): number => {
    const n = len - off;
    if (n <= minSize) return n;
    const start = base + off;
    return win.scan(start + minSize, start + Math.min(normalSize, n), start + Math.min(maxSize, n)) - start;
  };
  const take = (off: number, n: number) => Buffer.from(bytes.subarray(base + off, base + off + n));
  for await (const piece of source) {
    for (let p = 0; p < piece.length; ) {
      const n = Math.min(piece.length - p, size - len);
      bytes.set(piece.subarray(p, p + n), base + len);
      len += n;
      p += n;
      if (len < size) continue;
      let off = 0;
      while (len - off >= maxSize) {
        const n = cut(off);
        yield take(off, n);
        off += n;
      }
      bytes.copyWithin(base, base + off, base + len);
      len -= off;
    }
  }
  for (let off = 0; off < len; ) {
    const n = cut(off);
    yield take(off, n);
    off += n;
  }
}
