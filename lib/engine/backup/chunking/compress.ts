import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, brotliDecompress, brotliDecompressSync, constants } from 'node:zlib';
import { AppError } from '../../errors';

/**
 * A chunk's plaintext as stored: one flag byte (0 raw, 2 brotli) then the payload.
 *
 * Brotli at quality 1 was chosen on figures (bench/RESULTS.md, "Backups" notes): on float32 and
 * bfloat16 weights, SQLite pages and JSON it compresses as well as deflate-raw at level 1–6 at
 * 4–7× its speed, and it gives up on random bytes at ~700 MB/s where deflate crawls at ~30 MB/s.
 * A 64 KiB sample is tried first, so incompressible weights cost almost nothing. The async forms
 * compress on libuv's thread pool: the chunk writer keeps several in flight, so compression runs on
 * the other core while this thread reads, hashes and cuts the next chunks.
 */
const RAW = 0;
const BROTLI = 2;
const SAMPLE = 64 * 1024;
/** Compress only when the sample shrinks below this fraction (float32 weights land at ~0.93). */
export const COMPRESS_BELOW = 0.97;

const brotliParams = (size: number) => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: size },
});

function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, brotliParams(data.length));
}

export type ChunkEncoding = 'raw' | 'brotli';

/** Which encoding packChunk would use for this chunk. */
export function chooseEncoding(data: Buffer): ChunkEncoding {
  if (data.length < 512) return 'raw';
  const sample = data.length <= SAMPLE ? data : data.subarray(0, SAMPLE);
  return brotli(sample).length < sample.length * COMPRESS_BELOW ? 'brotli' : 'raw';
}

function framed(flag: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = flag;
  payload.copy(out, 1);
  return out;
}

export function packChunk(data: Buffer): Buffer {
  if (chooseEncoding(data) === 'brotli') {
    const packed = brotli(data);
    if (packed.length < data.length) return framed(BROTLI, packed);
  }
  return framed(RAW, data);
}

const brotliAsync = promisify(brotliCompress) as (data: Buffer, opts: object) => Promise<Buffer>;
const unbrotliAsync = promisify(brotliDecompress) as (data: Buffer, opts: object) => Promise<Buffer>;

/** packChunk with the compression off this thread (same bytes out). */
export async function packChunkAsync(data: Buffer): Promise<Buffer> {
  if (chooseEncoding(data) === 'brotli') {
    // One output buffer: zlib's async form hops to the pool once per chunkSize of output.
    const packed = await brotliAsync(data, { ...brotliParams(data.length), chunkSize: data.length + 1024 });
    if (packed.length < data.length) return framed(BROTLI, packed);
  }
  return framed(RAW, data);
}

/** The chunk's plaintext; never more than maxSize bytes (a larger one is damaged). */
export function unpackChunk(stored: Buffer, maxSize: number): Buffer {
  const flag = stored[0];
  if (flag === RAW) return stored.subarray(1);
  if (flag === BROTLI) {
    try {
      return brotliDecompressSync(stored.subarray(1), { maxOutputLength: maxSize });
    } catch (err) {
      throw new AppError('BACKUP_CHUNK_DAMAGED', `chunk does not decompress: ${(err as Error).message}`);
    }
  }
  throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `unknown chunk encoding ${flag}`);
}

/** unpackChunk with the decompression off this thread. */
export async function unpackChunkAsync(stored: Buffer, maxSize: number): Promise<Buffer> {
  if (stored[0] !== BROTLI) return unpackChunk(stored, maxSize);
  try {
    return await unbrotliAsync(stored.subarray(1), { maxOutputLength: maxSize, chunkSize: Math.min(maxSize, 1024 * 1024) });
  } catch (err) {
    throw new AppError('BACKUP_CHUNK_DAMAGED', `chunk does not decompress: ${(err as Error).message}`);
  }
}
