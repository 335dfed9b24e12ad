// Child-process check of constant memory, run by encryption.test.ts under plain node (compiled by
// compile-for-node.ts; `node --import tsx roundtrip-large.ts …` also works but adds the loader's
// ~45 MB to the figure): `roundtrip-large.js <dir> [MiB] [log2N]`. Writes a random file of <MiB>
// (default 1024), encrypts it with encryptFile, decrypts it with decryptFile and prints JSON on
// stdout: { maxRssKiB, plainSha256, decryptedSha256, seconds, … }. Deletes every file it wrote.
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { decryptFile, encryptFile } from '../index';

const MiB = 1024 * 1024;
/** One small buffer for generating and hashing (the helper's own memory is part of the figure). */
const scratch = Buffer.allocUnsafe(256 * 1024);

/**
 * Writes `mib` MiB of random bytes to `file` and returns their sha256. Reuses one buffer and writes
 * synchronously, so the helper itself adds no garbage to the memory being measured.
 */
function writeRandomFile(file: string, mib: number): string {
  const hash = createHash('sha256');
  const buffer = scratch;
  const fd = openSync(file, 'wx', 0o600);
  try {
    for (let i = 0; i < (mib * MiB) / buffer.length; i++) {
      randomFillSync(buffer);
      hash.update(buffer);
      for (let offset = 0; offset < buffer.length; ) offset += writeSync(fd, buffer, offset, buffer.length - offset);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** sha256 of a file, read into one reused buffer. */
function sha256File(file: string): string {
  const hash = createHash('sha256');
  const buffer = scratch;
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const parent = process.argv[2];
  const mib = Number(process.argv[3] ?? 1024);
  const log2N = Number(process.argv[4] ?? 10);
  if (!parent) throw new Error('usage: roundtrip-large.ts <dir> [MiB] [log2N]');
  const dir = await mkdtemp(path.join(parent, 'enc-large-'));
  const plain = path.join(dir, 'plain.bin');
  const encrypted = path.join(dir, 'plain.bin.enc');
  const decrypted = path.join(dir, 'decrypted.bin');
  const seconds: Record<string, number> = {};
  const time = async (name: string, fn: () => Promise<void>) => {
    const t0 = performance.now();
    await fn();
    seconds[name] = Math.round(performance.now() - t0) / 1000;
  };
  try {
    let plainSha256 = '';
    await time('generate', async () => {
      plainSha256 = writeRandomFile(plain, mib);
    });
    await time('encrypt', () => encryptFile(plain, encrypted, 'correct horse battery staple', { log2N }));
    await rm(plain);
    const encryptedBytes = (await stat(encrypted)).size;
    await time('decrypt', () => decryptFile(encrypted, decrypted, 'correct horse battery staple'));
    await rm(encrypted);
    let decryptedSha256 = '';
    await time('hash', async () => {
      decryptedSha256 = sha256File(decrypted);
    });
    const result = {
      bytes: mib * MiB,
      encryptedBytes,
      plainSha256,
      decryptedSha256,
      seconds,
      maxRssKiB: process.resourceUsage().maxRSS,
    };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
