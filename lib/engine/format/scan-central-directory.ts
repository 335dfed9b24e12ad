import { AppError } from '../errors';
import type { PackageLimits } from '../limits';
import { checkEntryPath, entryKey } from './check-entry-path';
import { formatExactBytes } from './format-exact-bytes';
import { corrupt, entryFileName, type ZipEntry, type ZipReader } from './zip-reader';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const STORED = 0;
const DEFLATE = 8;

/**
 * Checks every central-directory record without reading any entry data and returns the file
 * entries (directories dropped) by path, in archive order.
 */
export async function scanCentralDirectory(zip: ZipReader, limits: PackageLimits): Promise<Map<string, ZipEntry>> {
  if (zip.entryCount > limits.maxEntries) {
    throw new AppError('TOO_MANY_ENTRIES', `package has ${zip.entryCount} entries; the limit is ${limits.maxEntries}`);
  }
  const files = new Map<string, ZipEntry>();
  const seen = new Map<string, string>();
  let declaredTotal = 0;
  let compressedTotal = 0;

  for await (const entry of zip.entries()) {
    const path = entryFileName(entry);
    checkEntryPath(path);
    // Also check the raw bytes: a Unicode-path extra field can give other unzip tools a different name.
    checkEntryPath(entry.fileNameRaw.toString('latin1'));
    const shown = JSON.stringify(path);

    const key = entryKey(path);
    const earlier = seen.get(key);
    if (earlier === path) throw new AppError('ENTRY_DUPLICATE', `entry ${shown} appears more than once in the package`);
    if (earlier !== undefined) {
      throw new AppError('ENTRY_DUPLICATE', `entries ${JSON.stringify(earlier)} and ${shown} name the same path`);
    }
    seen.set(key, path);

    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      throw new AppError('ENTRY_SYMLINK', `entry ${shown} is a symbolic link; links are not accepted in packages`);
    }
    if (entry.isEncrypted()) {
      throw new AppError('ENTRY_ENCRYPTED', `entry ${shown} is encrypted; encrypted entries are not accepted`);
    }
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATE) {
      throw new AppError(
        'ENTRY_UNSUPPORTED_COMPRESSION',
        `entry ${shown} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are accepted`,
      );
    }

    declaredTotal += entry.uncompressedSize;
    if (declaredTotal > limits.maxUncompressedBytes) {
      throw new AppError(
        'UNCOMPRESSED_SIZE_EXCEEDED',
        `package expands to more than ${formatExactBytes(limits.maxUncompressedBytes)} (the limit), reached at entry ${shown}`,
      );
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= limits.ratioCheckMinBytes && ratio > limits.maxCompressionRatio) {
      throw new AppError(
        'COMPRESSION_RATIO_EXCEEDED',
        `entry ${shown} expands ${formatExactBytes(entry.compressedSize)} to ${formatExactBytes(entry.uncompressedSize)} ` +
          `(ratio ${Math.round(ratio)}:1); the limit is ${limits.maxCompressionRatio}:1`,
      );
    }
    compressedTotal += entry.compressedSize;

    if (!path.endsWith('/')) files.set(path, entry);
  }

  // Entries whose data overlaps (a classic zip-bomb trick) claim more bytes than the file has.
  if (compressedTotal > zip.fileSize) {
    throw corrupt(`entries claim ${compressedTotal} compressed bytes but the file has only ${zip.fileSize}`);
  }
  return files;
}
