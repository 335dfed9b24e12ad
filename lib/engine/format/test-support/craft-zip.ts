import { writeFile } from 'node:fs/promises';
import yazl from 'yazl';

export type RawZipEntry = {
  path: string;
  data: Buffer;
  compress?: boolean;
  /** Unix mode, e.g. 0o120777 for a symlink. */
  mode?: number;
  /** OR-ed into the general purpose bit flag (1 = encrypted). */
  flags?: number;
  /** Overrides the compression method field (e.g. 12 = bzip2) without changing the data. */
  method?: number;
};

const EOCD_SIGNATURE = 0x06054b50;
const CD_SIGNATURE = 0x02014b50;

function placeholder(index: number, byteLength: number): string {
  const name = String(index).padStart(byteLength, '_');
  if (name.length !== byteLength) throw new Error(`path of ${byteLength} bytes is too short for a placeholder`);
  return name;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Writes a ZIP with arbitrary (hostile) entries for tests. yazl refuses '..' and absolute paths
 * and rewrites backslashes, so every entry is added under a placeholder name of the same byte
 * length, then the real name bytes (and any flag/method overrides) are patched into both the
 * local header and the central directory record; no offsets move.
 */
export async function writeRawZip(out: string, entries: RawZipEntry[]): Promise<void> {
  const zip = new yazl.ZipFile();
  entries.forEach((entry, i) => {
    const name = placeholder(i, Buffer.byteLength(entry.path));
    zip.addBuffer(entry.data, name, {
      compress: entry.compress ?? false,
      mtime: new Date('2020-01-01T00:00:00Z'),
      ...(entry.mode !== undefined ? { mode: entry.mode } : {}),
    });
  });
  zip.end();
  const buf = await collect(zip.outputStream);

  const eocd = buf.length - 22;
  if (buf.readUInt32LE(eocd) !== EOCD_SIGNATURE) throw new Error('unexpected yazl output: no plain EOCD at the end');
  let record = buf.readUInt32LE(eocd + 16);
  entries.forEach((entry, i) => {
    if (buf.readUInt32LE(record) !== CD_SIGNATURE) throw new Error(`no central directory record for entry ${i}`);
    const nameLength = buf.readUInt16LE(record + 28);
    const local = buf.readUInt32LE(record + 42);
    const name = Buffer.from(entry.path);
    name.copy(buf, record + 46);
    name.copy(buf, local + 30);
    if (entry.flags !== undefined) {
      buf.writeUInt16LE(buf.readUInt16LE(record + 8) | entry.flags, record + 8);
      buf.writeUInt16LE(buf.readUInt16LE(local + 6) | entry.flags, local + 6);
    }
    if (entry.method !== undefined) {
      buf.writeUInt16LE(entry.method, record + 10);
      buf.writeUInt16LE(entry.method, local + 8);
    }
    record += 46 + nameLength + buf.readUInt16LE(record + 30) + buf.readUInt16LE(record + 32);
  });
  await writeFile(out, buf);
}
