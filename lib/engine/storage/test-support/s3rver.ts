import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { S3BlobStoreOptions } from '../s3-blob-store';

export type S3rverHandle = {
  endpoint: string;
  bucket: string;
  /** s3rver's one account. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Options for createS3BlobStore against this server (tempDir still to be given). */
  storeOptions(extra?: Partial<S3BlobStoreOptions>): Omit<S3BlobStoreOptions, 'tempDir'> & Partial<S3BlobStoreOptions>;
  /** Kill the server and remove its data directory. */
  stop(): Promise<void>;
  process: ChildProcess;
};

const require_ = createRequire(import.meta.url);

/**
 * s3rver as a child process on a free loopback port (it picks the port: `-p 0`), with its data in
 * a fresh temp directory and `bucket` created at startup.
 */
export async function startS3rver(opts: { bucket?: string } = {}): Promise<S3rverHandle> {
  const bucket = opts.bucket ?? 'torsh-test';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-s3rver-'));
  const entry = path.join(path.dirname(require_.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    [entry, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--no-vhost-buckets', '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [^\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening: ${stderr}`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    endpoint,
    bucket,
    credentials,
    process: child,
    storeOptions: (extra = {}) => ({ endpoint, bucket, credentials, region: 'us-east-1', forcePathStyle: true, ...extra }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
