import { AppError } from '../errors';

/** Reads `length` bytes at `offset` of the archive (a range read of the blob). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export type ZipDirectoryEntry = {
  path: string;
  method: 'stored' | 'deflate';
  /** Where the entry's (possibly compressed) data starts in the archive. */
  dataOffset: number;
  compressedSize: number;
  size: number;
};

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const MAX_COMMENT = 0xffff;

const corrupt = (detail: string) => new AppError('PACKAGE_CORRUPT', `package is corrupt: ${detail}`);

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('a 64-bit size is out of range');
  return Number(v);
}

/**
 * The file entries of a ZIP archive (directories dropped) with where their data lies, from the
 * end-of-central-directory record, the central directory and each entry's local header: a few
 * range reads, never the whole archive. The package was fully checked at publish, so this only
 * guards against reading out of bounds.
 */
export async function readZipDirectory(readAt: ReadAt, fileSize: number): Promise<ZipDirectoryEntry[]> {
  const tailLength = Math.min(fileSize, 22 + MAX_COMMENT + 20);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== ZIP64_LOCATOR_SIG) throw corrupt('no zip64 locator');
    const z64Offset = u64(tail, loc + 8);
    const z64 = await readAt(z64Offset, 56);
    if (z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw corrupt('bad zip64 end-of-central-directory record');
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdOffset + cdSize > fileSize) throw corrupt('the central directory lies outside the file');
  const cd = cdSize > 0 ? await readAt(cdOffset, cdSize) : Buffer.alloc(0);

  const found: (ZipDirectoryEntry & { headerOffset: number })[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL_SIG) throw corrupt('bad central directory record');
    const methodCode = cd.readUInt16LE(at + 10);
    let compressedSize = cd.readUInt32LE(at + 20);
    let size = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    let headerOffset = cd.readUInt32LE(at + 42);
    const path = cd.toString('utf8', at + 46, at + 46 + nameLength);
    let x = at + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let f = x + 4;
        if (size === 0xffffffff) (size = u64(cd, f)), (f += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(cd, f)), (f += 8);
        if (headerOffset === 0xffffffff) headerOffset = u64(cd, f);
      }
      x += 4 + len;
    }
    at = extraEnd + commentLength;
    if (path.endsWith('/')) continue;
    if (methodCode !== 0 && methodCode !== 8) throw corrupt(`entry ${JSON.stringify(path)} uses compression method ${methodCode}`);
    found.push({ path, method: methodCode === 0 ? 'stored' : 'deflate', dataOffset: 0, compressedSize, size, headerOffset });
  }

  return Promise.all(
    found.map(async ({ headerOffset, ...entry }) => {
      const local = await readAt(headerOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL_SIG) throw corrupt(`bad local header for entry ${JSON.stringify(entry.path)}`);
      const dataOffset = headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataOffset + entry.compressedSize > fileSize) throw corrupt(`entry ${JSON.stringify(entry.path)} runs past the end of the file`);
      return { ...entry, dataOffset };
    }),
  );
}
