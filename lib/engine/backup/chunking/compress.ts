import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { AppError } from '../../errors';

/**
 * A chunk's plaintext as stored: one flag byte (0 raw, 1 deflate-raw) then the payload.
 * Compression is tried on a sample first, so incompressible weights cost almost nothing.
 */
const RAW = 0;
const DEFLATE = 1;
const SAMPLE = 64 * 1024;

export function packChunk(data: Buffer): Buffer {
  const sample = data.subarray(0, SAMPLE);
  if (sample.length >= 512 && deflateRawSync(sample, { level: 1 }).length < sample.length * 0.9) {
    const packed = deflateRawSync(data, { level: 6 });
    if (packed.length < data.length) return Buffer.concat([Buffer.of(DEFLATE), packed]);
  }
  return Buffer.concat([Buffer.of(RAW), data]);
}

export function unpackChunk(stored: Buffer, maxSize: number): Buffer {
  const flag = stored[0];
  if (flag === RAW) return stored.subarray(1);
  if (flag === DEFLATE) return inflateRawSync(stored.subarray(1), { maxOutputLength: maxSize });
  throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `unknown chunk encoding ${flag}`);
}
