// `npx tsx bench/encryption.ts`: throughput of package encryption (lib/engine/security/encryption)
// on a 1 GiB random file, with `openssl speed -evp aes-256-gcm` on the same machine for reference.
// Puts its run first in the "Encryption" section of bench/RESULTS.md.
// --quick: 64 MiB, one repetition, 1 s of openssl per block size (to bench/out/RESULTS-quick.md).
// ENC_BENCH_MIB=256 for a smaller file, ENC_BENCH_REPEAT=n repetitions (default 3; medians shown),
// ENC_BENCH_OPENSSL_SECONDS=n for openssl's time per block size (default 3).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createDecryptStream,
  createEncryptStream,
  decryptFile,
  DEFAULT_LOG2N,
  DEFAULT_SEGMENT_SIZE,
  encryptFile,
} from '../lib/engine/security/encryption';
import { deriveKey } from '../lib/engine/security/encryption/kdf';
import { fmt, logger, MB, MiB } from './lib/format';
import { writeRandomFile } from './lib/random-file';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { runChecked, runCommand } from './lib/run-command';
import { median } from './lib/stats';

const QUICK = isQuick();
const PASSWORD = 'benchmark password';
const log = logger('bench:encryption');

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function sha256File(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(MiB);
  const fd = openSync(file, 'r');
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Reads `file` through `transform` into a sink that only counts bytes (no disk write). */
async function throughStream(file: string, transform: NodeJS.ReadWriteStream): Promise<number> {
  let count = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      count += chunk.length;
      cb();
    },
  });
  await pipeline(createReadStream(file, { highWaterMark: MiB }), transform, sink);
  return count;
}

/** `openssl speed -evp aes-256-gcm -seconds n`, 16384-byte column (thousands of bytes/s) in MB/s; null without openssl. */
async function opensslSpeed(secondsPerSize: string): Promise<{ mbps: number; version: string } | null> {
  const speed = await runCommand('openssl', ['speed', '-evp', 'aes-256-gcm', '-seconds', secondsPerSize]).catch(() => null);
  if (!speed || speed.code !== 0) return null;
  const line = speed.stdout.split('\n').find((l) => /^aes-256-gcm\s/i.test(l.trim()));
  if (!line) return null;
  const version = (await runChecked('openssl', ['version'])).stdout.trim().replace(/\s*\(Library:.*\)$/, '');
  const kBps = Number.parseFloat(line.trim().split(/\s+/).pop()!); // "4048065.10k": thousands of bytes per second
  return Number.isFinite(kBps) ? { mbps: kBps / 1000, version } : null;
}

/** Seconds for a `dd bs=1M conv=fsync` copy of `from`: what writing the file durably costs here (null without dd). */
async function ddSeconds(from: string, to: string): Promise<number | null> {
  try {
    return (await runChecked('dd', [`if=${from}`, `of=${to}`, 'bs=1M', 'conv=fsync'])).seconds;
  } catch {
    return null;
  } finally {
    await rm(to, { force: true });
  }
}

/** `rates` in MB/s; `seconds` per run (to take the one-off scrypt time out where `kdf`). */
type Figures = { label: string; rates: number[]; seconds: number[]; kdf: boolean };

export async function runEncryptionBench(): Promise<string> {
  const mib = Number(process.env.ENC_BENCH_MIB ?? (QUICK ? 64 : 1024));
  const repeat = Number(process.env.ENC_BENCH_REPEAT ?? (QUICK ? 1 : 3));
  const bytes = mib * MiB;
  const loadBefore = os.loadavg()[0];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'torsh-bench-enc-'));
  const plain = path.join(tmp, 'plain.bin');
  const encrypted = path.join(tmp, 'plain.bin.enc');
  const decrypted = path.join(tmp, 'decrypted.bin');
  const figure = (label: string, kdf: boolean): Figures => ({ label, rates: [], seconds: [], kdf });
  const figures = {
    encryptFile: figure('`encryptFile` (file → file: scrypt, read, encrypt, write, fsync, rename)', true),
    decryptFile: figure('`decryptFile` (file → file: scrypt, read, decrypt + verify, write, fsync, rename)', true),
    dd: figure('reference: `dd bs=1M conv=fsync` copy of the plaintext file (read, write, fsync; no crypto)', false),
    encryptStream: figure('`createEncryptStream` (file read stream → byte-counting sink, no disk write)', true),
    decryptStream: figure('`createDecryptStream` (file read stream → byte-counting sink, no disk write)', true),
  };
  const record = (f: Figures, t: number) => {
    f.seconds.push(t);
    f.rates.push(bytes / t / MB);
    return fmt(bytes / t / MB);
  };
  const kdfSeconds: number[] = [];
  try {
    log(`writing ${mib} MiB of random bytes`);
    const digest = await writeRandomFile(plain, bytes);
    const salt = randomBytes(16);
    for (let i = 0; i < 3; i++) kdfSeconds.push(await seconds(() => deriveKey(PASSWORD, salt, { log2N: DEFAULT_LOG2N, r: 8, p: 1 })));
    log(`scrypt at the defaults: ${fmt(median(kdfSeconds), 2)} s`);
    for (let r = 1; r <= repeat; r++) {
      const parts: string[] = [];
      parts.push(`encryptFile ${record(figures.encryptFile, await seconds(() => encryptFile(plain, encrypted, PASSWORD)))}`);
      parts.push(`decryptFile ${record(figures.decryptFile, await seconds(() => decryptFile(encrypted, decrypted, PASSWORD)))}`);
      if (r === 1 && sha256File(decrypted) !== digest) throw new Error('decrypted file differs from the original');
      await rm(decrypted);
      const copy = path.join(tmp, 'copy.bin');
      const dd = await ddSeconds(plain, copy);
      if (dd !== null) parts.push(`dd ${record(figures.dd, dd)}`);
      parts.push(`encrypt stream ${record(figures.encryptStream, await seconds(() => throughStream(plain, createEncryptStream(PASSWORD))))}`);
      const decStream = await seconds(async () => {
        if ((await throughStream(encrypted, createDecryptStream(PASSWORD))) !== bytes) throw new Error('decrypt stream: wrong length');
      });
      parts.push(`decrypt stream ${record(figures.decryptStream, decStream)}`);
      log(`rep ${r}/${repeat} (MB/s): ${parts.join(', ')}`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const opensslSeconds = process.env.ENC_BENCH_OPENSSL_SECONDS ?? (QUICK ? '1' : '3');
  log(`running openssl speed -evp aes-256-gcm -seconds ${opensslSeconds} (6 block sizes)`);
  const openssl = await opensslSpeed(opensslSeconds);
  if (openssl) log(`${openssl.version} aes-256-gcm, 16384-byte blocks: ${fmt(openssl.mbps)} MB/s`);

  const kdf = median(kdfSeconds);
  const range = (xs: number[]) => (xs.length > 1 ? ` (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : '');
  const ratio = (mbps: number) => (openssl ? fmt(mbps / openssl.mbps, 2) : '—');
  const rows = Object.values(figures)
    .filter((f) => f.rates.length > 0)
    .map((f) => {
      const endToEnd = median(f.rates);
      const withoutKdf = f.kdf ? median(f.seconds.map((t) => bytes / (t - kdf) / MB)) : endToEnd;
      return `| ${f.label} | ${fmt(endToEnd)}${range(f.rates)} | ${f.kdf ? fmt(withoutKdf) : '—'} | ${ratio(withoutKdf)} |`;
    });
  const date = new Date().toISOString();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `### Run ${date}${QUICK ? ' (quick)' : ''}`,
    '',
    `Machine: ${cpu}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB RAM, Node ${process.version} ` +
      `(OpenSSL ${process.versions.openssl}), Linux ${os.release()}. 1-min load average before the run: ${fmt(loadBefore, 2)}` +
      `${loadBefore > 0.5 ? ' (machine not idle: figures are skewed)' : ''}.`,
    `\`npx tsx bench/encryption.ts\`: a ${fmt(mib)} MiB random file, default parameters (scrypt N = 2^${DEFAULT_LOG2N}, r = 8, ` +
      `p = 1; ${DEFAULT_SEGMENT_SIZE / MiB} MiB segments), ${repeat} repetition${repeat === 1 ? '' : 's'} (median, range); ` +
      'MB = 10⁶ bytes. Each run derives its key once with scrypt: ' +
      `${fmt(kdf, 2)} s at these parameters (median of ${kdfSeconds.length}); the third column takes that time out. ` +
      'AES-256-GCM of one stream runs on one core, as `openssl speed` does.',
    '',
    '| measurement | MB/s | MB/s without the scrypt time | / openssl |',
    '|---|---|---|---|',
    ...rows,
    openssl
      ? `| reference: \`openssl speed -evp aes-256-gcm -seconds ${opensslSeconds}\`, 16384-byte blocks (${openssl.version}) | ${fmt(openssl.mbps)} | — | 1.00 |`
      : '| reference: `openssl speed -evp aes-256-gcm` | openssl not found | — | — |',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const section = await runEncryptionBench();
  console.log(`\n${section}`);
  const file = resultsFile(QUICK);
  insertRun(file, 'encryption', section);
  log(`run added to ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
