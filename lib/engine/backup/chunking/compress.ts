import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { AppError } from '../../errors';

/**
 * A chunk's plaintext as stored: one flag byte (0 raw, 2 brotli) then the payload.
 *
 * Brotli at quality 1 was chosen on figures (bench/RESULTS.md, "Backups" notes): on float32 and
 * bfloat16 weights, SQLite pages and JSON it compresses as well as deflate-raw at level 1–6 at
 * 4–7× its speed, and it gives up on random bytes at ~700 MB/s where deflate crawls at ~30 MB/s.
 * A 64 KiB sample is tried first, so incompressible weights cost almost nothing.
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

export function packChunk(data: Buffer): Buffer {
  if (chooseEncoding(data) === 'brotli') {
    const packed = brotli(data);
    if (packed.length < data.length) {
      const out = Buffer.allocUnsafe(packed.length + 1);
      out[0] = BROTLI;
      packed.copy(out, 1);
      return out;
    }
  }
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = RAW;
  data.copy(out, 1);
  return out;
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
