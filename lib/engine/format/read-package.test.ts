import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../errors';
import type { PackageLimits } from '../limits';
import { readPackage } from './read-package';
import { writeRawZip, type RawZipEntry } from './test-support/craft-zip';
import { writePackage } from './write-package';

let dir: string;
let counter = 0;
const tmpFile = () => path.join(dir, `pkg-${counter++}.torshpkg`);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-format-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const baseManifest = (patch: Record<string, unknown> = {}) => ({
  name: 'resnet',
  version: '1.0.0',
  format_version: '1.0.0',
  created_at: '2025-03-01T10:20:30.123456789Z',
  author: null,
  description: null,
  license: null,
  modules: [],
  resources: [],
  dependencies: {},
  metadata: {},
  signature: null,
  ...patch,
});
const manifestEntry = (patch: Record<string, unknown> = {}): RawZipEntry => ({
  path: 'MANIFEST.json',
  data: Buffer.from(JSON.stringify(baseManifest(patch))),
  compress: true,
});

const weights = randomBytes(300_000);
const source = Buffer.from('import torsh\n\nclass Net:\n    pass\n'.repeat(50));
const config = Buffer.from('{"layers": 50}');
const license = Buffer.from('MIT License\n');
const readme = Buffer.from('# resnet\n');

describe('readPackage: accepted packages', () => {
  it('reads a crate-style package: empty resources[], sha256 computed, side metadata attached', async () => {
    const file = tmpFile();
    await writePackage(file, {
      manifest: baseManifest(),
      files: [
        { path: 'models/model.bin', source: weights, metadata: { framework: 'torsh', dtype: 'f32' } },
        { path: 'src/net.py', source, compress: true },
        { path: 'config/config.json', source: config, compress: true },
        { path: 'resources/LICENSE', source: license },
        { path: 'README.md', source: readme },
      ],
    });
    const pkg = await readPackage(file, { expect: { name: 'resnet', version: '1.0.0' } });

    expect(pkg.manifest.name).toBe('resnet');
    expect(JSON.parse(pkg.manifestJson).name).toBe('resnet');
    expect(pkg.entries.map((e) => [e.path, e.type, e.name, e.compression])).toEqual([
      ['README.md', null, 'README.md', 'stored'],
      ['config/config.json', 'Config', 'config.json', 'deflate'],
      ['models/model.bin', 'Model', 'model.bin', 'stored'],
      ['resources/LICENSE', 'License', 'LICENSE', 'stored'],
      ['src/net.py', 'Source', 'net.py', 'deflate'],
    ]);
    const model = pkg.entries.find((e) => e.path === 'models/model.bin')!;
    expect(model.sha256).toBe(sha(weights));
    expect(model.size).toBe(weights.length);
    expect(model.compressedSize).toBe(weights.length);
    expect(model.metadata).toEqual({ framework: 'torsh', dtype: 'f32' });
    const py = pkg.entries.find((e) => e.path === 'src/net.py')!;
    expect(py.sha256).toBe(sha(source));
    expect(py.compressedSize).toBeLessThan(source.length);
    expect(pkg.entries.find((e) => e.path === 'config/config.json')!.sha256).toBe(sha(config));

    const metadataBytes = Buffer.byteLength(JSON.stringify({ framework: 'torsh', dtype: 'f32' }, null, 2)) + 1;
    const contentBytes = weights.length + source.length + config.length + license.length + readme.length;
    expect(pkg.totalUncompressed).toBe(contentBytes + metadataBytes + Buffer.byteLength(pkg.manifestJson));
  });

  it('verifies listed sha256s, matching bare names and full paths, and uses listed types under resources/', async () => {
    const file = tmpFile();
    const blob = Buffer.from('plain words');
    await writePackage(file, {
      manifest: baseManifest({
        resources: [
          { name: 'model.bin', resource_type: 'Model', size: weights.length, sha256: sha(weights).toUpperCase() },
          { name: 'src/net.py', resource_type: 'Source', size: source.length, sha256: sha(source) },
          { name: 'blob', resource_type: 'Text', size: blob.length, sha256: '' },
          { name: 'not-there.bin', resource_type: 'Model', size: 1, sha256: '' },
        ],
      }),
      files: [
        { path: 'models/model.bin', source: weights },
        { path: 'src/net.py', source, compress: true },
        { path: 'resources/blob', source: blob },
      ],
    });
    const pkg = await readPackage(file);
    expect(pkg.entries.map((e) => [e.path, e.type])).toEqual([
      ['models/model.bin', 'Model'],
      ['resources/blob', 'Text'],
      ['src/net.py', 'Source'],
    ]);
  });

  it('skips directory entries and lists an orphan .metadata file as an ordinary entry', async () => {
    const file = tmpFile();
    await writeRawZip(file, [
      manifestEntry(),
      { path: 'models/', data: Buffer.alloc(0) },
      { path: 'models/a.bin', data: Buffer.from('a') },
      { path: 'docs/orphan.metadata', data: Buffer.from('not json') },
    ]);
    const pkg = await readPackage(file);
    expect(pkg.entries.map((e) => e.path)).toEqual(['docs/orphan.metadata', 'models/a.bin']);
  });
});

type Row = {
  name: string;
  code: ErrorCode;
  mentions: string[];
  build: (file: string) => Promise<void>;
  limits?: Partial<PackageLimits>;
  expect?: { name: string; version: string };
};

const raw = (...entries: RawZipEntry[]) => (file: string) => writeRawZip(file, entries);
const withManifest = (...entries: RawZipEntry[]) => raw(manifestEntry(), ...entries);
const badManifest = (text: string) => raw({ path: 'MANIFEST.json', data: Buffer.from(text) });
const patchedManifest = (patch: Record<string, unknown>) => raw(manifestEntry(patch));

async function flipByteOf(file: string, marker: Buffer, offsetInMarker = 0): Promise<void> {
  const buf = await readFile(file);
  const at = buf.indexOf(marker);
  if (at < 0) throw new Error('marker not found');
  buf[at + offsetInMarker] ^= 0xff;
  await writeFile(file, buf);
}

const marker = Buffer.from('THIS-IS-THE-STORED-ENTRY-DATA-'.repeat(20));
const compressible = Buffer.from('abcdefghij'.repeat(5000));

const rows: Row[] = [
  { name: 'not a zip', code: 'PACKAGE_NOT_ZIP', mentions: ['not a ZIP'], build: (f) => writeFile(f, 'just some text, not an archive') },
  { name: 'empty file', code: 'PACKAGE_NOT_ZIP', mentions: ['not a ZIP'], build: (f) => writeFile(f, '') },
  {
    name: 'truncated zip',
    code: 'PACKAGE_NOT_ZIP',
    mentions: ['truncated'],
    build: async (f) => {
      await writeRawZip(f, [manifestEntry(), { path: 'models/a.bin', data: randomBytes(5000) }]);
      await truncate(f, 3000);
    },
  },
  { name: 'missing manifest', code: 'MANIFEST_MISSING', mentions: ['MANIFEST.json'], build: raw({ path: 'models/a.bin', data: Buffer.from('x') }) },
  { name: 'manifest not at root', code: 'MANIFEST_MISSING', mentions: ['MANIFEST.json'], build: raw({ ...manifestEntry(), path: 'pkg/MANIFEST.json' }) },
  { name: 'manifest not JSON', code: 'MANIFEST_INVALID', mentions: ['MANIFEST.json', 'not valid JSON'], build: badManifest('{"name": ') },
  { name: 'manifest not an object', code: 'MANIFEST_INVALID', mentions: ['JSON object', 'array'], build: badManifest('[1, 2]') },
  {
    name: 'manifest missing required field',
    code: 'MANIFEST_INVALID',
    mentions: ['created_at'],
    build: patchedManifest({ created_at: undefined }),
  },
  {
    name: 'manifest field of wrong type',
    code: 'MANIFEST_INVALID',
    mentions: ['modules[0].has_source'],
    build: patchedManifest({ modules: [{ name: 'n', class_name: 'N', version: '1', dependencies: [], has_source: 'yes' }] }),
  },
  {
    name: 'manifest over maxManifestBytes',
    code: 'MANIFEST_INVALID',
    mentions: ['MANIFEST.json', '100 bytes'],
    limits: { maxManifestBytes: 100 },
    build: withManifest(),
  },
  { name: 'bad name', code: 'MANIFEST_NAME_INVALID', mentions: ['"Bad Name"'], build: patchedManifest({ name: 'Bad Name' }) },
  { name: 'bad semver', code: 'MANIFEST_VERSION_INVALID', mentions: ['"1.0"'], build: patchedManifest({ version: '1.0' }) },
  { name: 'leading v', code: 'MANIFEST_VERSION_INVALID', mentions: ['"v1.0.0"'], build: patchedManifest({ version: 'v1.0.0' }) },
  { name: 'format 2.0.0', code: 'FORMAT_VERSION_UNSUPPORTED', mentions: ['"2.0.0"', '1.x'], build: patchedManifest({ format_version: '2.0.0' }) },
  { name: 'format unparsable', code: 'MANIFEST_INVALID', mentions: ['format_version', '"latest"'], build: patchedManifest({ format_version: 'latest' }) },
  {
    name: 'name mismatch',
    code: 'MANIFEST_NAME_MISMATCH',
    mentions: ['"resnet"', '"vgg"'],
    expect: { name: 'vgg', version: '1.0.0' },
    build: withManifest(),
  },
  {
    name: 'version mismatch',
    code: 'MANIFEST_VERSION_MISMATCH',
    mentions: ['"1.0.0"', '"1.0.1"'],
    expect: { name: 'resnet', version: '1.0.1' },
    build: withManifest(),
  },
  ...['../evil', 'models/../../evil', '/abs', 'C:/x', 'a\\b', 'a//b', 'a\0b'].map<Row>((p) => ({
    name: `unsafe path ${JSON.stringify(p)}`,
    code: 'ENTRY_PATH_UNSAFE',
    mentions: [JSON.stringify(p)],
    build: withManifest({ path: p, data: Buffer.from('evil') }),
  })),
  {
    name: 'duplicate entry',
    code: 'ENTRY_DUPLICATE',
    mentions: ['"models/a.bin"'],
    build: withManifest({ path: 'models/a.bin', data: Buffer.from('1') }, { path: 'models/a.bin', data: Buffer.from('2') }),
  },
  {
    name: 'duplicate manifest',
    code: 'ENTRY_DUPLICATE',
    mentions: ['"MANIFEST.json"'],
    build: withManifest(manifestEntry({ name: 'other' })),
  },
  {
    name: 'directory entry and file of the same name',
    code: 'ENTRY_DUPLICATE',
    mentions: ['"models/a"'],
    build: withManifest({ path: 'models/a', data: Buffer.from('1') }, { path: 'models/a/', data: Buffer.alloc(0) }),
  },
  {
    name: 'symlink entry',
    code: 'ENTRY_SYMLINK',
    mentions: ['"models/link.bin"'],
    build: withManifest({ path: 'models/link.bin', data: Buffer.from('/etc/passwd'), mode: 0o120777 }),
  },
  {
    name: 'encrypted entry',
    code: 'ENTRY_ENCRYPTED',
    mentions: ['"models/secret.bin"'],
    build: withManifest({ path: 'models/secret.bin', data: compressible, compress: true, flags: 1 }),
  },
  {
    name: 'unsupported compression',
    code: 'ENTRY_UNSUPPORTED_COMPRESSION',
    mentions: ['"models/a.bin"', 'method 12'],
    build: withManifest({ path: 'models/a.bin', data: Buffer.from('BZh9'), method: 12 }),
  },
  {
    name: 'sha256 mismatch',
    code: 'CHECKSUM_MISMATCH',
    mentions: ['"models/model.bin"', sha(Buffer.from('real')), 'f'.repeat(64)],
    build: raw(
      manifestEntry({ resources: [{ name: 'model.bin', resource_type: 'Model', size: 4, sha256: 'f'.repeat(64) }] }),
      { path: 'models/model.bin', data: Buffer.from('real') },
    ),
  },
  {
    name: 'listed resource missing',
    code: 'RESOURCE_MISSING',
    mentions: ['"gone.bin"', '"models/gone.bin"'],
    build: raw(manifestEntry({ resources: [{ name: 'gone.bin', resource_type: 'Model', size: 4, sha256: 'a'.repeat(64) }] })),
  },
  {
    name: 'too many entries',
    code: 'TOO_MANY_ENTRIES',
    mentions: ['6 entries', 'limit is 5'],
    limits: { maxEntries: 5 },
    build: withManifest(...[1, 2, 3, 4, 5].map((i) => ({ path: `data/${i}.bin`, data: Buffer.from([i]) }))),
  },
  {
    name: 'uncompressed total over the limit',
    code: 'UNCOMPRESSED_SIZE_EXCEEDED',
    mentions: ['1000 bytes', '"data/big.bin"'],
    limits: { maxUncompressedBytes: 1000 },
    build: withManifest({ path: 'data/big.bin', data: randomBytes(2000) }),
  },
  {
    name: 'compression ratio over the limit',
    code: 'COMPRESSION_RATIO_EXCEEDED',
    mentions: ['"data/zeros.bin"', '200:1'],
    build: withManifest({ path: 'data/zeros.bin', data: Buffer.alloc(4 * 1024 * 1024), compress: true }),
  },
  {
    name: 'corrupted stored data (CRC)',
    code: 'PACKAGE_CORRUPT',
    mentions: ['"models/a.bin"', 'CRC-32'],
    build: async (f) => {
      await writeRawZip(f, [manifestEntry(), { path: 'models/a.bin', data: marker }]);
      await flipByteOf(f, marker, 100);
    },
  },
  {
    name: 'corrupted deflate data',
    code: 'PACKAGE_CORRUPT',
    mentions: ['"src/a.py"'],
    build: async (f) => {
      await writeRawZip(f, [manifestEntry(), { path: 'src/a.py', data: compressible, compress: true }]);
      const buf = await readFile(f);
      const local = buf.indexOf(Buffer.from('src/a.py'));
      for (let i = 10; i < 40; i++) buf[local + 8 + 9 + 4 + i] ^= 0x5a; // inside the deflate stream, past the UT extra field
      await writeFile(f, buf);
    },
  },
  {
    name: 'invalid .metadata side file',
    code: 'MANIFEST_INVALID',
    mentions: ['"models/a.bin.metadata"', '"layers"'],
    build: withManifest(
      { path: 'models/a.bin', data: Buffer.from('a') },
      { path: 'models/a.bin.metadata', data: Buffer.from('{"layers": 50}') },
    ),
  },
];

describe('readPackage: rejected packages', () => {
  it.each(rows)('$name → $code', async (row) => {
    const file = tmpFile();
    await row.build(file);
    const err = await readPackage(file, { limits: row.limits, expect: row.expect }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, 'expected readPackage to reject').not.toBeNull();
    if (!isAppError(err)) throw err;
    expect(err.code).toBe(row.code);
    for (const m of row.mentions) expect(err.message).toContain(m);
    expect(err.message).not.toMatch(/\[object|undefined/);
  });

  it('reports an unreadable file as an I/O error, not a bad package', async () => {
    await expect(readPackage(path.join(dir, 'does-not-exist'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
