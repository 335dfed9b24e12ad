import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { isAppError } from '../errors';
import { corrupt, type ZipEntry, type ZipReader } from './zip-reader';

export type EntryDigest = { sha256: string; size: number };

const hex32 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * Streams one entry once: sha256, size and CRC-32 (yauzl does not check CRCs itself).
 * `onChunk` sees every uncompressed chunk and may throw to abort (size limits, collecting).
 */
export async function digestEntry(
  zip: ZipReader,
  entry: ZipEntry,
  path: string,
  onChunk: (chunk: Buffer) => void = () => {},
): Promise<EntryDigest> {
  const localName = await zip.localFileName(entry);
  if (!localName.equals(entry.fileNameRaw)) {
    throw corrupt(`entry ${JSON.stringify(path)} has a different name in its local header (${JSON.stringify(localName.toString('latin1'))})`);
  }
  const stream = await zip.openStream(entry);
  const hash = createHash('sha256');
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onChunk(chunk);
      hash.update(chunk);
      crc = crc32(chunk, crc);
      size += chunk.length;
    }
  } catch (err) {
    if (isAppError(err)) throw err;
    throw corrupt(`entry ${JSON.stringify(path)} cannot be decompressed`, err);
  }
  if (crc !== entry.crc32) {
    throw corrupt(`entry ${JSON.stringify(path)} fails its CRC-32 check (stored ${hex32(entry.crc32)}, computed ${hex32(crc)})`);
  }
  return { sha256: hash.digest('hex'), size };
}
