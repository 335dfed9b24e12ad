import { createHmac } from 'node:crypto';
import type { ChunkerParams } from '../types';

/**
 * FastCDC-style content-defined chunking (gear hash, normalised chunking level 2) with a gear
 * table derived from the repository's chunker key, so chunk boundaries reveal nothing of the
 * content to someone without the key. Cut points depend only on the bytes, so data shifted by
 * an insertion re-synchronises within a chunk or two.
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

export type Cutter = (buf: Buffer, start: number, end: number) => number;

/** The cut function for these parameters: the length of the next chunk of buf[start, end). */
export function makeCutter(params: ChunkerParams, gear: Int32Array): Cutter {
  const bits = Math.round(Math.log2(params.avgSize));
  const maskS = highMask(bits + 2);
  const maskL = highMask(bits - 2);
  const { minSize, avgSize, maxSize } = params;
  return (buf, start, end) => {
    const n = end - start;
    if (n <= minSize) return n;
    const limit = start + Math.min(n, maxSize);
    const normal = start + Math.min(avgSize, n);
    let h = 0;
    let i = start + minSize;
    for (; i < normal; i++) {
      h = ((h << 1) + gear[buf[i]]) | 0;
      if ((h & maskS) === 0) return i - start + 1;
    }
    for (; i < limit; i++) {
      h = ((h << 1) + gear[buf[i]]) | 0;
      if ((h & maskL) === 0) return i - start + 1;
    }
    return limit - start;
  };
}

/** Split a byte stream into content-defined chunks (each minSize..maxSize bytes, the last one shorter). */
export async function* chunkStream(source: AsyncIterable<Buffer | Uint8Array>, params: ChunkerParams, gear: Int32Array): AsyncGenerator<Buffer> {
  const cut = makeCutter(params, gear);
  let parts: Buffer[] = [];
  let have = 0;
  for await (const piece of source) {
    const b = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    parts.push(b);
    have += b.length;
    if (have < params.maxSize) continue;
    const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
    let off = 0;
    while (have - off >= params.maxSize) {
      const len = cut(buf, off, have);
      yield buf.subarray(off, off + len);
      off += len;
    }
    parts = off < have ? [buf.subarray(off)] : [];
    have -= off;
  }
  if (have === 0) return;
  const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, have);
  let off = 0;
  while (off < have) {
    const len = cut(buf, off, have);
    yield buf.subarray(off, off + len);
    off += len;
  }
}
