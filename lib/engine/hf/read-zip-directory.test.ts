import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { readZipDirectory } from './read-zip-directory';

async function zipOf(files: { path: string; data: Buffer; compress: boolean }[], opts: { zip64: boolean; comment?: string }): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.data, f.path, { compress: f.compress, forceZip64Format: opts.zip64 } as yazl.Options);
  zip.addEmptyDirectory('models/', {});
  zip.end({ forceZip64Format: opts.zip64, comment: opts.comment } as yazl.EndOptions);
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const files = [
  { path: 'MANIFEST.json', data: Buffer.from('{"name":"x"}'), compress: false },
  { path: 'models/w.bin', data: Buffer.alloc(100_000, 7), compress: false },
  { path: 'config/c.json', data: Buffer.from('{"a":1}'.repeat(300)), compress: true },
];

describe('readZipDirectory', () => {
  for (const zip64 of [false, true]) {
    it(`finds every file and where its data lies (${zip64 ? 'zip64' : 'plain'} records, archive comment)`, async () => {
      const archive = await zipOf(files, { zip64, comment: 'c'.repeat(300) });
      expect(archive.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(zip64); // zip64 end-of-central-directory record
      const reads: number[] = [];
      const readAt = async (offset: number, length: number) => {
        reads.push(length);
        if (offset < 0 || offset + length > archive.length) throw new Error('out of bounds');
        return archive.subarray(offset, offset + length);
      };
      const entries = await readZipDirectory(readAt, archive.length);
      expect(entries.map((e) => [e.path, e.method, e.size])).toEqual(files.map((f) => [f.path, f.compress ? 'deflate' : 'stored', f.data.length]));
      for (const [i, e] of entries.entries()) {
        const data = archive.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
        expect((e.method === 'stored' ? data : inflateRawSync(data)).equals(files[i].data)).toBe(true);
      }
      expect(reads.every((n) => n < archive.length)).toBe(true); // range reads, never the whole archive
    });
  }

  it('refuses what is not a ZIP archive', async () => {
    const junk = Buffer.alloc(100, 1);
    await expect(readZipDirectory(async (o, l) => junk.subarray(o, o + l), junk.length)).rejects.toMatchObject({ code: 'PACKAGE_CORRUPT' });
  });
});
