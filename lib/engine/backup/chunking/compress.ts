import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  brotliDecompress,
  brotliDecompressSync,
  constants,
  deflateRaw,
  deflateRawSync,
  inflateRaw,
  inflateRawSync,
} from 'node:zlib';
import { AppError } from '../../errors';
import { joinPlanes, planeBytes, planeEntropies, PLANES, splitPlanes } from './byte-planes';

/**
 * A chunk's plaintext as stored: one flag byte then the payload.
 *
 * - 0 raw: the bytes.
 * - 2 brotli (quality 1): text, SQLite pages, anything a general compressor shrinks well.
 * - 3 planes: model weights. The chunk's four byte planes (byte-planes.ts); planes whose sample
 *   entropy is under PLANE_BITS bits are Huffman-coded (deflate-raw, Z_HUFFMAN_ONLY), the others
 *   kept as they are. Layout: flag, a mask byte (bit j: plane j coded), the chunk length (u32
 *   LE), each plane (coded ones prefixed by their length, u32 LE), then the raw tail.
 *
 * Chosen on figures (bench/RESULTS.md, "Backups" notes): on float32 / bfloat16 weights planes
 * store ~85 % / ~65 % where brotli stores ~93 % / ~77 % (restic's zstd: 100 % / 70 %), at several
 * times brotli's speed to pack and to unpack; float32 is stored raw all the same (PLANES_BELOW); brotli q1 matches deflate's ratios on JSON and
 * SQLite at 4–7× its speed. A 64 KiB sample decides; incompressible bytes stay raw.
 * The async forms compress on libuv's thread pool, so it runs on the other core while this
 * thread reads, hashes and cuts the next chunks.
 */
const RAW = 0;
const BROTLI = 2;
const BYTE_PLANES = 3;
const SAMPLE = 64 * 1024;
/** Compress only when the sample shrinks below this fraction. */
export const COMPRESS_BELOW = 0.97;
/**
 * Weights go to byte planes only when the sample's estimate is below this: bfloat16 (~66 %) yes,
 * float32 (~84 %) no. Unpacking planes costs ~4 ms/MiB on restore, more than the 16 % float32
 * saves is worth; restic stores float32 raw too (bench/RESULTS.md, Backups notes).
 */
export const PLANES_BELOW = 0.8;
/** A plane is entropy-coded when its sample has fewer bits per byte than this. */
const PLANE_BITS = 7;
const HEADER = 6;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const brotliParams = (size: number) => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: size },
});
const huffman = { level: 1, strategy: constants.Z_HUFFMAN_ONLY };

export type ChunkEncoding = 'raw' | 'brotli' | 'planes';

type Choice = { encoding: ChunkEncoding; coded: boolean[] };
const NONE: Choice = { encoding: 'raw', coded: [] };

function sampleOf(data: Buffer): Buffer | null {
  if (data.length < 512) return null;
  return data.length <= SAMPLE ? data : data.subarray(0, SAMPLE);
}

/** The decision, given the sample's brotli size (computed on this thread or off it). */
function decide(data: Buffer, sample: Buffer, brotliBytes: number): Choice {
  const bits = planeEntropies(sample);
  const coded = bits.map((b) => b < PLANE_BITS);
  // Huffman codes land within ~2 % of the order-0 entropy.
  const planesRatio = bits.reduce((r, b, j) => r + (coded[j] ? Math.min(1, (b / 8) * 1.02) : 1), 0) / PLANES;
  const brotliRatio = brotliBytes / sample.length;
  if (LITTLE_ENDIAN && data.length >= 64 && planesRatio <= brotliRatio) {
    // Weights: brotli does no better than planes here, so neither is worth its time unless planes save a fifth.
    return planesRatio < PLANES_BELOW ? { encoding: 'planes', coded } : NONE;
  }
  if (brotliRatio < COMPRESS_BELOW) return { encoding: 'brotli', coded: [] };
  return NONE;
}

/** Which encoding packChunk uses for this chunk, and for planes which ones are coded. */
function choose(data: Buffer): Choice {
  const sample = sampleOf(data);
  return sample ? decide(data, sample, brotliCompressSync(sample, brotliParams(sample.length)).length) : NONE;
}

/** choose() with the sample's brotli trial on the thread pool: the main thread only cuts and hashes. */
async function chooseAsync(data: Buffer): Promise<Choice> {
  const sample = sampleOf(data);
  if (!sample) return NONE;
  const trial = await brotliAsync(sample, { ...brotliParams(sample.length), chunkSize: sample.length + 1024 });
  return decide(data, sample, trial.length);
}

export function chooseEncoding(data: Buffer): ChunkEncoding {
  return choose(data).encoding;
}

function framed(flag: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = flag;
  payload.copy(out, 1);
  return out;
}

function framePlanes(data: Buffer, planes: Buffer[], coded: (Buffer | null)[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.allocUnsafe(HEADER);
  head[0] = BYTE_PLANES;
  head[1] = coded.reduce((m, c, j) => (c ? m | (1 << j) : m), 0);
  head.writeUInt32LE(data.length, 2);
  parts.push(head);
  planes.forEach((p, j) => {
    const c = coded[j];
    if (!c) return void parts.push(p);
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32LE(c.length);
    parts.push(len, c);
  });
  parts.push(data.subarray(planeBytes(data.length) * PLANES));
  return Buffer.concat(parts);
}

export function packChunk(data: Buffer): Buffer {
  const { encoding, coded } = choose(data);
  if (encoding === 'planes') {
    const planes = splitPlanes(data);
    const out = framePlanes(data, planes, planes.map((p, j) => (coded[j] ? deflateRawSync(p, huffman) : null)));
    if (out.length < data.length) return out;
  } else if (encoding === 'brotli') {
    const packed = brotliCompressSync(data, brotliParams(data.length));
    if (packed.length < data.length) return framed(BROTLI, packed);
  }
  return framed(RAW, data);
}

const brotliAsync = promisify(brotliCompress) as (data: Buffer, opts: object) => Promise<Buffer>;
const unbrotliAsync = promisify(brotliDecompress) as (data: Buffer, opts: object) => Promise<Buffer>;
const deflateAsync = promisify(deflateRaw) as (data: Buffer, opts: object) => Promise<Buffer>;
const inflateAsync = promisify(inflateRaw) as (data: Buffer, opts: object) => Promise<Buffer>;

/** packChunk with the compression off this thread (same bytes out). */
export async function packChunkAsync(data: Buffer): Promise<Buffer> {
  const { encoding, coded } = await chooseAsync(data);
  if (encoding === 'planes') {
    const planes = splitPlanes(data);
    // One output buffer each: zlib's async form hops to the pool once per chunkSize of output.
    const packed = await Promise.all(planes.map((p, j) => (coded[j] ? deflateAsync(p, { ...huffman, chunkSize: p.length + 1024 }) : null)));
    const out = framePlanes(data, planes, packed);
    if (out.length < data.length) return out;
  } else if (encoding === 'brotli') {
    const packed = await brotliAsync(data, { ...brotliParams(data.length), chunkSize: data.length + 1024 });
    if (packed.length < data.length) return framed(BROTLI, packed);
  }
  return framed(RAW, data);
}

const damaged = (why: string) => new AppError('BACKUP_CHUNK_DAMAGED', `chunk does not decompress: ${why}`);

/** The planes' layout of a BYTE_PLANES payload: each plane's bytes (coded or not) and the tail. */
function parsePlanes(stored: Buffer, maxSize: number): { len: number; planes: { bytes: Buffer; coded: boolean }[]; tail: Buffer } {
  if (!LITTLE_ENDIAN) throw new AppError('BACKUP_FORMAT_UNSUPPORTED', 'byte-plane chunks are read on little-endian hosts only');
  if (stored.length < HEADER) throw damaged('truncated header');
  const mask = stored[1];
  const len = stored.readUInt32LE(2);
  if (len > maxSize) throw damaged(`${len} bytes exceed the maximum ${maxSize}`);
  const each = planeBytes(len);
  let off = HEADER;
  const planes: { bytes: Buffer; coded: boolean }[] = [];
  for (let j = 0; j < PLANES; j++) {
    const coded = (mask & (1 << j)) !== 0;
    let size = each;
    if (coded) {
      if (off + 4 > stored.length) throw damaged('truncated plane');
      size = stored.readUInt32LE(off);
      off += 4;
    }
    if (off + size > stored.length) throw damaged('truncated plane');
    planes.push({ bytes: stored.subarray(off, off + size), coded });
    off += size;
  }
  const tail = stored.subarray(off);
  if (tail.length !== len - each * PLANES) throw damaged('wrong tail length');
  return { len, planes, tail };
}

function assemble(planes: Buffer[], tail: Buffer, len: number): Buffer {
  const each = planeBytes(len);
  if (planes.some((p) => p.length !== each)) throw damaged('wrong plane length');
  return tail.length === 0 ? joinPlanes(planes) : Buffer.concat([joinPlanes(planes), tail]);
}

/** The chunk's plaintext; never more than maxSize bytes (a larger one is damaged). */
export function unpackChunk(stored: Buffer, maxSize: number): Buffer {
  const flag = stored[0];
  if (flag === RAW) return stored.subarray(1);
  try {
    if (flag === BROTLI) return brotliDecompressSync(stored.subarray(1), { maxOutputLength: maxSize });
    if (flag === BYTE_PLANES) {
      const { len, planes, tail } = parsePlanes(stored, maxSize);
      const each = planeBytes(len);
      return assemble(planes.map((p) => (p.coded ? inflateRawSync(p.bytes, { maxOutputLength: each }) : p.bytes)), tail, len);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw damaged((err as Error).message);
  }
  throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `unknown chunk encoding ${flag}`);
}

/** unpackChunk with the decompression off this thread. */
export async function unpackChunkAsync(stored: Buffer, maxSize: number): Promise<Buffer> {
  const flag = stored[0];
  try {
    if (flag === BROTLI) return await unbrotliAsync(stored.subarray(1), { maxOutputLength: maxSize, chunkSize: Math.min(maxSize, 1024 * 1024) });
    if (flag === BYTE_PLANES) {
      const { len, planes, tail } = parsePlanes(stored, maxSize);
      const each = planeBytes(len);
      const opts = { maxOutputLength: Math.max(each, 1), chunkSize: Math.max(each, 64) };
      return assemble(await Promise.all(planes.map((p) => (p.coded ? inflateAsync(p.bytes, opts) : p.bytes))), tail, len);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw damaged((err as Error).message);
  }
  return unpackChunk(stored, maxSize);
}
