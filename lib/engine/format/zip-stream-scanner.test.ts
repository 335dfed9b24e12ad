import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackage } from './read-package';
import { writeRawZip } from './test-support/craft-zip';
import { writePackage } from './write-package';
import { createZipStreamScanner, type ScannedEntry } from './zip-stream-scanner';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const manifest = (name = 'scan') => ({ name, version: '1.0.0', format_version: '1.0.0', created_at: '2026-01-01T00:00:00Z' });

function scan(bytes: Buffer, chunkSize: number | ((i: number) => number)): Map<number, ScannedEntry> {
  const scanner = createZipStreamScanner();
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const n = typeof chunkSize === 'number' ? chunkSize : chunkSize(i);
    scanner.push(bytes.subarray(off, off + n));
    off += n;
  }
  return scanner.results();
}

describe('zip stream scanner', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-scan-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The data holds a descriptor signature followed by plausible-looking fields.
  const tricky = Buffer.concat([Buffer.alloc(1000, 1), Buffer.from([0x50, 0x4b, 0x07, 0x08]), Buffer.alloc(64, 0), Buffer.alloc(3000, 2)]);
  const weights = Buffer.alloc(300_000, 9);

  it.each([
    ['one big chunk', 1 << 30],
    ['1-byte chunks', 1],
    ['7-byte chunks', 7],
    ['uneven chunks', (i: number) => [1, 3, 4096, 17, 65536, 2][i % 6]],
  ])('digests every stored entry of a yazl package (data descriptors) fed in %s', async (_label, chunking) => {
    const file = path.join(dir, 'descriptors.torshpkg');
    await writePackage(file, {
      manifest: manifest(),
      files: [
        { path: 'models/model.bin', source: weights },
        { path: 'data/tricky.bin', source: tricky },
        { path: 'config/config.json', source: Buffer.from('{"a":1}'.repeat(50)), compress: true },
        { path: 'models/empty.bin', source: Buffer.alloc(0) },
      ],
    });
    const bytes = await readFile(file);
    const results = scan(bytes, chunking);
    const digests = [...results.values()].map((r) => r.sha256);
    const fromDisk = await readPackage(file);
    const stored = fromDisk.entries.filter((e) => e.compression === 'stored').map((e) => e.sha256);
    expect(stored.sort()).toEqual([sha(weights), sha(tricky), sha(Buffer.alloc(0))].sort());
    expect(digests).toEqual(expect.arrayContaining(stored));
    // The deflated entry is not digested while streaming (validation inflates it from disk).
    expect(digests).not.toContain(sha(Buffer.from('{"a":1}'.repeat(50))));

    const withScan = await readPackage(file, { scanned: results });
    expect(withScan.entries).toEqual(fromDisk.entries);
  });

  it('digests entries whose local headers carry their sizes (no descriptors)', async () => {
    const file = path.join(dir, 'sized.torshpkg');
    await writeRawZip(file, [
      { path: 'MANIFEST.json', data: Buffer.from(JSON.stringify(manifest())) },
      { path: 'models/w.bin', data: tricky },
    ]);
    const results = scan(await readFile(file), 5);
    expect([...results.values()].map((r) => r.sha256)).toContain(sha(tricky));
    const pkg = await readPackage(file, { scanned: results });
    expect(pkg.entries[0].sha256).toBe(sha(tricky));
  });

  it('stops quietly on bytes that are not a ZIP', () => {
    expect(scan(Buffer.from('not a zip at all, just text'), 4).size).toBe(0);
  });

  it('a scan result matching offset, size and CRC is used without reading the entry again', async () => {
    const file = path.join(dir, 'trusted.torshpkg');
    await writePackage(file, { manifest: manifest(), files: [{ path: 'models/model.bin', source: weights }] });
    const honest = scan(await readFile(file), 1 << 20);
    // Same coordinates, different digest: if readPackage re-read the bytes it would not see it.
    const marked = new Map([...honest].map(([k, v]) => [k, { ...v, sha256: 'e'.repeat(64) }]));
    const pkg = await readPackage(file, { scanned: marked });
    expect(pkg.entries.find((e) => e.path === 'models/model.bin')!.sha256).toBe('e'.repeat(64));
  });

  it('a scan result that does not match the central directory is ignored', async () => {
    const file = path.join(dir, 'forged.torshpkg');
    await writePackage(file, { manifest: manifest(), files: [{ path: 'models/model.bin', source: weights }] });
    const honest = scan(await readFile(file), 1 << 20);
    const forged = new Map([...honest].map(([k, v]) => [k, { ...v, sha256: 'f'.repeat(64), crc32: (v.crc32 + 1) >>> 0 }]));
    const pkg = await readPackage(file, { scanned: forged });
    expect(pkg.entries.find((e) => e.path === 'models/model.bin')!.sha256).toBe(sha(weights));
  });
});
