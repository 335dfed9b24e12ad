import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { isAppError } from '../errors';
import { corrupt, type ZipEntry, type ZipReader } from './zip-reader';
import type { ScannedEntry } from './zip-stream-scanner';

export type EntryDigest = { sha256: string; size: number };

const hex32 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * Streams one entry once: sha256, size and CRC-32 (yauzl does not check CRCs itself).
 * `onChunk` sees every uncompressed chunk and may throw to abort (size limits, collecting).
 */
async function checkLocalName(zip: ZipReader, entry: ZipEntry, path: string): Promise<void> {
  const localName = await zip.localFileName(entry);
  if (!localName.equals(entry.fileNameRaw)) {
    throw corrupt(`entry ${JSON.stringify(path)} has a different name in its local header (${JSON.stringify(localName.toString('latin1'))})`);
  }
}

/**
 * The digest the upload scanner computed for this entry, when it describes exactly the bytes
 * the central directory points at (same header offset, stored, same size and CRC); else null.
 */
export async function scannedDigest(
  zip: ZipReader,
  entry: ZipEntry,
  path: string,
  scanned: ReadonlyMap<number, ScannedEntry> | undefined,
): Promise<EntryDigest | null> {
  const hit = scanned?.get(entry.relativeOffsetOfLocalHeader);
  if (!hit || entry.compressionMethod !== 0) return null;
  if (hit.size !== entry.compressedSize || hit.size !== entry.uncompressedSize || hit.crc32 !== entry.crc32) return null;
  await checkLocalName(zip, entry, path);
  return { sha256: hit.sha256, size: hit.size };
}

export async function digestEntry(
  zip: ZipReader,
  entry: ZipEntry,
  path: string,
  onChunk: (chunk: Buffer) => void = () => {},
): Promise<EntryDigest> {
  await checkLocalName(zip, entry, path);
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
