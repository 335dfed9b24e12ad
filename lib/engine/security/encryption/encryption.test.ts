import { execFile } from 'node:child_process';
import { createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDecryptStream,
  createEncryptStream,
  decryptFile,
  encryptFile,
  HEADER_LENGTH,
  isEncryptedPackage,
  readEncryptedHeader,
} from './index';
import { compileForNode } from './test-support/compile-for-node';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../../..');
const PASSWORD = 'correct horse battery staple';
const SEG = 1024;
/** Low scrypt cost for speed (one test below uses the defaults). */
const FAST = { segmentSize: SEG, log2N: 10 } as const;
const TAG = 16;
const FULL = SEG + TAG;

let dir: string;
let n = 0;
const tmp = (name: string) => path.join(dir, `${n++}-${name}`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-encryption-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function encryptedFileOf(plain: Buffer, opts: { segmentSize?: number; log2N?: number } = FAST): Promise<Buffer> {
  const input = tmp('plain');
  const output = tmp('enc');
  await writeFile(input, plain);
  await encryptFile(input, output, PASSWORD, opts);
  return readFile(output);
}

/** decryptFile on `encrypted`; the output path and what is left in its directory afterwards. */
async function decryptBytes(encrypted: Buffer, password = PASSWORD) {
  const sub = await mkdtemp(path.join(dir, 'dec-'));
  const input = path.join(sub, 'in.enc');
  const output = path.join(sub, 'out.bin');
  await writeFile(input, encrypted);
  const result = await decryptFile(input, output, password).then(
    async () => ({ ok: true as const, plain: await readFile(output) }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const left = (await readdir(sub)).filter((f) => f !== 'in.enc');
  return { ...result, left };
}

/** Pipes `chunks` through a Transform; returns what came out and the error, if any. */
async function throughStream(stream: NodeJS.ReadWriteStream, chunks: Buffer[]) {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk);
      cb();
    },
  });
  const error = await pipeline(Readable.from(chunks, { objectMode: false }), stream, sink).then(
    () => null,
    (e: unknown) => e,
  );
  return { out: Buffer.concat(out), error };
}

function chunked(b: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < b.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(b.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

const segmentAt = (i: number) => HEADER_LENGTH + i * FULL;

async function expectDecryptFailed(encrypted: Buffer, code = 'DECRYPT_FAILED') {
  const file = await decryptBytes(encrypted);
  expect(file.ok).toBe(false);
  expect(file).toMatchObject({ error: { code } });
  expect(file.left).toEqual([]); // no output, no partial file
  const stream = await throughStream(createDecryptStream(PASSWORD), chunked(encrypted, [777, 5000, 1]));
  expect(stream.error).toMatchObject({ code });
  return { file, stream };
}

describe('round trips', () => {
  const sizes = [0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 5 * SEG + 123];

  it.each(sizes)('%i bytes: encryptFile → decryptFile, and through the streams, in odd chunks', async (size) => {
    const plain = randomBytes(size);
    const encrypted = await encryptedFileOf(plain);
    const segments = Math.max(1, Math.ceil(size / SEG));
    expect(encrypted.length).toBe(HEADER_LENGTH + size + segments * TAG);
    expect(isEncryptedPackage(encrypted)).toBe(true);

    const file = await decryptBytes(encrypted);
    expect(file.ok && sha256(file.plain)).toBe(sha256(plain));
    expect(file.left).toEqual(['out.bin']);

    // The stream encrypter writes the same format: the file decrypter reads it, and vice versa.
    const enc = await throughStream(createEncryptStream(PASSWORD, FAST), chunked(plain, [1, 700, 3000]));
    expect(enc.error).toBeNull();
    expect(enc.out.length).toBe(encrypted.length);
    const fromStream = await decryptBytes(enc.out);
    expect(fromStream.ok && sha256(fromStream.plain)).toBe(sha256(plain));
    for (const sizesOf of [[1], [45, 2, 1040, 1041], [1 << 20]]) {
      const dec = await throughStream(createDecryptStream(PASSWORD), chunked(encrypted, sizesOf));
      expect(dec.error).toBeNull();
      expect(sha256(dec.out)).toBe(sha256(plain));
    }
  });

  it('matches the documented format (opened independently with node:crypto)', async () => {
    const plain = randomBytes(2 * SEG + 10);
    const enc = await encryptedFileOf(plain);
    const h = enc.subarray(0, HEADER_LENGTH);
    expect(h.subarray(0, 8).toString('ascii')).toBe('TORSHENC');
    expect([h[8], h[9], h[10], h.readUInt32BE(11), h.readUInt32BE(15), h.readUInt32BE(35)]).toEqual([1, 1, 10, 8, 1, SEG]);
    const key = scryptSync(PASSWORD, h.subarray(19, 35), 32, { N: 2 ** 10, r: 8, p: 1 });
    const opened: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const final = i === 2;
      const seg = enc.subarray(segmentAt(i), final ? enc.length : segmentAt(i + 1));
      const nonce = Buffer.concat([h.subarray(39, 46), Buffer.from([0, 0, 0, i, final ? 1 : 0])]);
      const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(h);
      d.setAuthTag(seg.subarray(seg.length - TAG));
      opened.push(d.update(seg.subarray(0, seg.length - TAG)), d.final());
    }
    expect(Buffer.concat(opened)).toEqual(plain);
  });

  it('uses a fresh salt and nonce prefix each time', async () => {
    const plain = Buffer.from('same input');
    const [a, b] = [await encryptedFileOf(plain), await encryptedFileOf(plain)];
    expect(a.subarray(0, 19)).toEqual(b.subarray(0, 19)); // magic, version, KDF and its parameters
    expect(a.subarray(19, 35).equals(b.subarray(19, 35))).toBe(false); // salt
    expect(a.subarray(39, 46).equals(b.subarray(39, 46))).toBe(false); // nonce prefix
    expect(a.subarray(HEADER_LENGTH).equals(b.subarray(HEADER_LENGTH))).toBe(false);
  });

  it('default parameters: scrypt 2^17 (r 8, p 1), 4 MiB segments', async () => {
    const plain = randomBytes(4 * 1024 * 1024 + 3);
    const input = tmp('plain');
    const output = tmp('enc');
    await writeFile(input, plain);
    await encryptFile(input, output, PASSWORD);
    expect(await readEncryptedHeader(output)).toEqual({ version: 1, log2N: 17, r: 8, p: 1, segmentSize: 4 * 1024 * 1024 });
    const encrypted = await readFile(output);
    expect(encrypted.length).toBe(HEADER_LENGTH + plain.length + 2 * TAG);
    const file = await decryptBytes(encrypted);
    expect(file.ok && sha256(file.plain)).toBe(sha256(plain));
    const dec = await throughStream(createDecryptStream(PASSWORD), chunked(encrypted, [65536]));
    expect(sha256(dec.out)).toBe(sha256(plain));
  });
});

describe('authentication failures → DECRYPT_FAILED, nothing left behind', () => {
  let plain: Buffer;
  let encrypted: Buffer; // header + 4 full segments + a final one of 100 bytes

  beforeAll(async () => {
    plain = randomBytes(4 * SEG + 100);
    encrypted = await encryptedFileOf(plain);
    expect(encrypted.length).toBe(HEADER_LENGTH + 4 * FULL + 100 + TAG);
  });

  const flip = (at: number) => {
    const copy = Buffer.from(encrypted);
    copy[at] ^= 0x01;
    return copy;
  };

  it('wrong password', async () => {
    const file = await decryptBytes(encrypted, 'Correct horse battery staple');
    expect(file).toMatchObject({ ok: false, error: { code: 'DECRYPT_FAILED', message: expect.stringMatching(/wrong password, or the file was modified or truncated/) } });
    expect(file.left).toEqual([]);
    const stream = await throughStream(createDecryptStream('wrong'), [encrypted]);
    expect(stream.error).toMatchObject({ code: 'DECRYPT_FAILED' });
    expect(stream.out.length).toBe(0);
  });

  it('a flipped byte in a segment: the stream emits only the segments before it', async () => {
    const { stream } = await expectDecryptFailed(flip(segmentAt(2) + 500));
    expect(stream.out).toEqual(plain.subarray(0, 2 * SEG)); // segment 2's plaintext is never released
  });

  it('a flipped byte in a tag', async () => {
    const { stream } = await expectDecryptFailed(flip(segmentAt(1) + SEG + 3));
    expect(stream.out).toEqual(plain.subarray(0, SEG));
  });

  it('a flipped byte in the final segment', async () => {
    const { stream } = await expectDecryptFailed(flip(encrypted.length - TAG - 1));
    expect(stream.out).toEqual(plain.subarray(0, 4 * SEG));
  });

  it.each([
    ['salt', 20],
    ['nonce prefix', 40],
    ['scrypt r (8 → 9)', 14],
    ['segment size (1024 → 1025)', 38],
  ])('a changed header field: %s', async (_name, at) => {
    const { stream } = await expectDecryptFailed(flip(at));
    expect(stream.out.length).toBe(0);
  });

  it('truncated mid-segment', async () => {
    await expectDecryptFailed(encrypted.subarray(0, segmentAt(2) + 300));
    await expectDecryptFailed(encrypted.subarray(0, encrypted.length - 1));
  });

  it('truncated exactly at a segment boundary before the final segment', async () => {
    const { stream } = await expectDecryptFailed(encrypted.subarray(0, segmentAt(4)));
    expect(stream.out).toEqual(plain.subarray(0, 3 * SEG)); // segment 3 is opened as final and fails
    await expectDecryptFailed(encrypted.subarray(0, segmentAt(1)));
  });

  it('truncated to the header, or to less than a tag after it', async () => {
    await expectDecryptFailed(encrypted.subarray(0, HEADER_LENGTH));
    await expectDecryptFailed(encrypted.subarray(0, HEADER_LENGTH + TAG - 1));
  });

  it('two segments swapped', async () => {
    const swapped = Buffer.concat([
      encrypted.subarray(0, segmentAt(1)),
      encrypted.subarray(segmentAt(2), segmentAt(3)),
      encrypted.subarray(segmentAt(1), segmentAt(2)),
      encrypted.subarray(segmentAt(3)),
    ]);
    expect(swapped.length).toBe(encrypted.length);
    const { stream } = await expectDecryptFailed(swapped);
    expect(stream.out).toEqual(plain.subarray(0, SEG));
  });

  it('a duplicated segment', async () => {
    const duplicated = Buffer.concat([encrypted.subarray(0, segmentAt(2)), encrypted.subarray(segmentAt(1))]);
    const { stream } = await expectDecryptFailed(duplicated);
    expect(stream.out).toEqual(plain.subarray(0, 2 * SEG));
  });

  it('a segment dropped', async () => {
    await expectDecryptFailed(Buffer.concat([encrypted.subarray(0, segmentAt(1)), encrypted.subarray(segmentAt(2))]));
  });

  it('trailing data after the final segment', async () => {
    await expectDecryptFailed(Buffer.concat([encrypted, Buffer.from([0])]));
    await expectDecryptFailed(Buffer.concat([encrypted, randomBytes(FULL * 2)]));
    // A whole valid final segment of another file with the same header appended.
    const empty = await encryptedFileOf(Buffer.alloc(0));
    await expectDecryptFailed(Buffer.concat([encrypted, empty.subarray(HEADER_LENGTH)]));
  });

  it('an empty file encrypts to the header and one empty final segment; dropping it fails', async () => {
    const empty = await encryptedFileOf(Buffer.alloc(0));
    expect(empty.length).toBe(HEADER_LENGTH + TAG);
    await expectDecryptFailed(empty.subarray(0, HEADER_LENGTH));
  });
});

describe('format errors → ENCRYPTED_FORMAT_INVALID, before any key derivation', () => {
  let encrypted: Buffer;
  beforeAll(async () => {
    encrypted = await encryptedFileOf(randomBytes(100));
  });

  const withHeader = (edit: (h: Buffer) => void) => {
    const copy = Buffer.from(encrypted);
    edit(copy);
    return copy;
  };

  it('bad magic, or not an encrypted package at all', async () => {
    await expectDecryptFailed(withHeader((h) => h.write('TORSHENX', 0, 'ascii')), 'ENCRYPTED_FORMAT_INVALID');
    await expectDecryptFailed(Buffer.from('PK\x03\x04 a zip file, say'), 'ENCRYPTED_FORMAT_INVALID');
    await expectDecryptFailed(Buffer.alloc(0), 'ENCRYPTED_FORMAT_INVALID');
    await expectDecryptFailed(Buffer.from('TORS'), 'ENCRYPTED_FORMAT_INVALID');
  });

  it('a truncated header', async () => {
    await expectDecryptFailed(encrypted.subarray(0, 20), 'ENCRYPTED_FORMAT_INVALID');
  });

  it.each([
    ['format version 2', (h: Buffer) => h.writeUInt8(2, 8)],
    ['KDF id 2', (h: Buffer) => h.writeUInt8(2, 9)],
    ['log2N 9', (h: Buffer) => h.writeUInt8(9, 10)],
    ['log2N 30', (h: Buffer) => h.writeUInt8(30, 10)],
    ['log2N 22 with r 8 (4 GiB of scrypt memory)', (h: Buffer) => h.writeUInt8(22, 10)],
    ['r 0', (h: Buffer) => h.writeUInt32BE(0, 11)],
    ['r 2^32-1', (h: Buffer) => h.writeUInt32BE(0xffffffff, 11)],
    ['p 1000', (h: Buffer) => h.writeUInt32BE(1000, 15)],
    ['segment size 0', (h: Buffer) => h.writeUInt32BE(0, 35)],
    ['segment size 64 MiB + 1', (h: Buffer) => h.writeUInt32BE(64 * 1024 * 1024 + 1, 35)],
    ['segment size 4 GiB - 1', (h: Buffer) => h.writeUInt32BE(0xffffffff, 35)],
  ])('%s', async (_name, edit) => {
    const hostile = withHeader(edit);
    const started = performance.now();
    await expectDecryptFailed(hostile, 'ENCRYPTED_FORMAT_INVALID');
    await expect(readEncryptedHeader(hostile)).rejects.toMatchObject({ code: 'ENCRYPTED_FORMAT_INVALID' });
    expect(performance.now() - started).toBeLessThan(2000); // rejected without running scrypt
  });
});

describe('header inspection and options', () => {
  it('readEncryptedHeader: parameters from a path or the first bytes; null without the magic', async () => {
    const encrypted = await encryptedFileOf(randomBytes(10), { segmentSize: 64 * 1024, log2N: 11 });
    const info = { version: 1, log2N: 11, r: 8, p: 1, segmentSize: 64 * 1024 };
    expect(await readEncryptedHeader(encrypted)).toEqual(info);
    expect(await readEncryptedHeader(encrypted.subarray(0, HEADER_LENGTH))).toEqual(info);
    const onDisk = tmp('enc');
    await writeFile(onDisk, encrypted);
    expect(await readEncryptedHeader(onDisk)).toEqual(info);
    expect(await readEncryptedHeader(Buffer.from('PK\x03\x04'))).toBeNull();
    expect(await readEncryptedHeader(Buffer.alloc(0))).toBeNull();
    const zipOnDisk = tmp('zip');
    await writeFile(zipOnDisk, Buffer.from('PK\x03\x04 rest of a zip'));
    expect(await readEncryptedHeader(zipOnDisk)).toBeNull();
    await expect(readEncryptedHeader(encrypted.subarray(0, 30))).rejects.toMatchObject({ code: 'ENCRYPTED_FORMAT_INVALID' });
  });

  it('isEncryptedPackage looks at the magic only', () => {
    expect(isEncryptedPackage(Buffer.from('TORSHENC'))).toBe(true);
    expect(isEncryptedPackage(Buffer.from('TORSHEN'))).toBe(false);
    expect(isEncryptedPackage(Buffer.from('PK\x03\x04\x14\x00\x00\x00'))).toBe(false);
  });

  it('rejects bad options and empty passwords with INVALID_INPUT', async () => {
    const input = tmp('plain');
    await writeFile(input, 'x');
    for (const opts of [{ segmentSize: 100 }, { segmentSize: 65 * 1024 * 1024 }, { segmentSize: 1.5 }, { log2N: 9 }, { log2N: 23 }]) {
      expect(() => createEncryptStream(PASSWORD, opts)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
      await expect(encryptFile(input, tmp('enc'), PASSWORD, opts)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(() => createEncryptStream('')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createDecryptStream('')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    await expect(decryptFile(input, tmp('dec'), '')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a missing input fails without leaving a partial file', async () => {
    const sub = await mkdtemp(path.join(dir, 'missing-'));
    await expect(encryptFile(path.join(sub, 'nope'), path.join(sub, 'out'), PASSWORD, FAST)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(decryptFile(path.join(sub, 'nope'), path.join(sub, 'out'), PASSWORD)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(sub)).toEqual([]);
  });

  it('the password is NFC-normalised', async () => {
    const nfd = 'cafe\u0301';
    const input = tmp('plain');
    const output = tmp('enc');
    await writeFile(input, 'x');
    await encryptFile(input, output, nfd, FAST);
    expect((await throughStream(createDecryptStream('caf\u00e9'), [await readFile(output)])).out.toString()).toBe('x');
  });
});

describe('constant memory', () => {
  // Plain `node` (helper compiled by TypeScript): a loader such as `--import tsx` runs a second V8
  // isolate that alone adds ~45 MB to the peak RSS. --no-concurrent-array-buffer-sweeping: V8
  // frees dead Buffers' memory on a background thread; on a busy 2-core machine that thread lags
  // and the peak swings by 20–30 MB with the machine's load, not with the code. Synchronous
  // sweeping makes the figure reflect what the engine allocates and holds.
  it('1 GiB round trip through encryptFile/decryptFile: same sha256, peak RSS ≤ 100 MB', { timeout: 180_000 }, async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'torsh-enc-helper-'));
    try {
      const script = compileForNode(path.join(HERE, 'test-support/roundtrip-large.ts'), REPO_ROOT, out);
      const { stdout } = await promisify(execFile)(process.execPath, ['--no-concurrent-array-buffer-sweeping', script, out, '1024'], {
        cwd: REPO_ROOT,
        maxBuffer: 1024 * 1024,
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
        bytes: number;
        encryptedBytes: number;
        plainSha256: string;
        decryptedSha256: string;
        maxRssKiB: number;
        seconds: Record<string, number>;
      };
      console.log(`1 GiB round trip: peak RSS ${((result.maxRssKiB * 1024) / 1e6).toFixed(1)} MB, seconds ${JSON.stringify(result.seconds)}`);
      expect(result.bytes).toBe(1024 ** 3);
      expect(result.encryptedBytes).toBe(1024 ** 3 + HEADER_LENGTH + 256 * TAG);
      expect(result.plainSha256).toMatch(/^[a-f0-9]{64}$/);
      expect(result.decryptedSha256).toBe(result.plainSha256);
      expect(result.maxRssKiB * 1024).toBeLessThanOrEqual(100e6);
      expect((await readdir(out)).filter((f) => f.startsWith('enc-large-'))).toEqual([]); // the helper cleaned up
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
