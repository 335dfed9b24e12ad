import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, readPackage, writePackage } from './index';

let dir: string;
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-format-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifest = {
  name: 'bert-tiny',
  version: '0.3.0-rc.1',
  format_version: FORMAT_VERSION,
  created_at: '2025-01-02T03:04:05Z',
  description: 'a tiny model',
  modules: [{ name: 'encoder', class_name: 'Encoder', version: '0.3.0', dependencies: [], has_source: true }],
  dependencies: { 'torsh-core': '^0.1' },
  metadata: { task: 'fill-mask' },
};

describe('writePackage', () => {
  it('round-trips with fillResources and writes byte-identical archives for identical input', async () => {
    const weights = randomBytes(1_000_000);
    const weightsPath = path.join(dir, 'weights.bin');
    await writeFile(weightsPath, weights);
    const vocab = Buffer.from('[PAD]\n[CLS]\n[SEP]\n'.repeat(100));
    const files = [
      { path: 'models/weights.bin', source: weightsPath, metadata: { dtype: 'f16' } },
      { path: 'data/vocab.txt', source: vocab, compress: true },
      { path: 'resources/LICENSE', source: Buffer.from('Apache-2.0') },
      { path: 'NOTES', source: Buffer.from('root files are not resources') },
    ];

    const out = path.join(dir, 'roundtrip.torshpkg');
    const { bytes } = await writePackage(out, { manifest, files, fillResources: true });
    expect(bytes).toBe((await stat(out)).size);

    const pkg = await readPackage(out, { expect: { name: 'bert-tiny', version: '0.3.0-rc.1' } });
    expect(pkg.manifest.resources).toEqual([
      { name: 'weights.bin', resource_type: 'Model', size: weights.length, sha256: sha(weights) },
      { name: 'vocab.txt', resource_type: 'Data', size: vocab.length, sha256: sha(vocab) },
      { name: 'LICENSE', resource_type: 'License', size: 10, sha256: sha(Buffer.from('Apache-2.0')) },
    ]);
    expect(pkg.manifest.metadata).toEqual({ task: 'fill-mask' });
    expect(pkg.entries.map((e) => [e.path, e.type, e.compression])).toEqual([
      ['NOTES', null, 'stored'],
      ['data/vocab.txt', 'Data', 'deflate'],
      ['models/weights.bin', 'Model', 'stored'],
      ['resources/LICENSE', 'License', 'stored'],
    ]);
    expect(pkg.entries.find((e) => e.type === 'Model')).toMatchObject({ sha256: sha(weights), metadata: { dtype: 'f16' } });

    const again = path.join(dir, 'roundtrip-again.torshpkg');
    await writePackage(again, { manifest, files, fillResources: true });
    expect((await readFile(again)).equals(await readFile(out))).toBe(true);
  });

  it('writes stream sources to a caller-provided stream', async () => {
    const data = randomBytes(50_000);
    const out = path.join(dir, 'stream.torshpkg');
    await writePackage(createWriteStream(out), {
      manifest,
      files: [{ path: 'models/m.bin', source: Readable.from([data.subarray(0, 20_000), data.subarray(20_000)]) }],
    });
    const pkg = await readPackage(out);
    expect(pkg.entries).toMatchObject([{ path: 'models/m.bin', size: data.length, sha256: sha(data) }]);
  });

  it('refuses fillResources for a stream source, unsafe paths and duplicate paths', async () => {
    const out = path.join(dir, 'refused.torshpkg');
    await expect(
      writePackage(out, { manifest, files: [{ path: 'models/m.bin', source: Readable.from([Buffer.from('x')]) }], fillResources: true }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writePackage(out, { manifest, files: [{ path: '../x', source: Buffer.from('x') }] })).rejects.toMatchObject({
      code: 'ENTRY_PATH_UNSAFE',
    });
    const twice = { path: 'data/a', source: Buffer.from('x') };
    await expect(writePackage(out, { manifest, files: [twice, twice] })).rejects.toMatchObject({ code: 'ENTRY_DUPLICATE' });
  });

  it('fails and removes the partial output when a source file is missing', async () => {
    const out = path.join(dir, 'missing-source.torshpkg');
    await expect(
      writePackage(out, { manifest, files: [{ path: 'models/m.bin', source: path.join(dir, 'nope.bin') }] }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('streams a 200 MiB package through write and read with bounded memory', async () => {
    const MiB = 1024 * 1024;
    const big = path.join(dir, 'big.bin');
    const chunk = randomBytes(MiB);
    const expected = createHash('sha256');
    const ws = createWriteStream(big);
    for (let i = 0; i < 200; i++) {
      chunk.writeUInt32LE(i, 0);
      expected.update(chunk);
      if (!ws.write(Buffer.from(chunk))) await new Promise<void>((r) => ws.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const expectedSha = expected.digest('hex');

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      const out = path.join(dir, 'big.torshpkg');
      await writePackage(out, { manifest, files: [{ path: 'models/big.bin', source: big }], fillResources: true });
      const pkg = await readPackage(out);
      expect(pkg.manifest.resources[0]).toMatchObject({ size: 200 * MiB, sha256: expectedSha });
      expect(pkg.entries).toMatchObject([{ path: 'models/big.bin', size: 200 * MiB, sha256: expectedSha }]);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect((peak - baseline) / MiB).toBeLessThan(64);
  });
});
