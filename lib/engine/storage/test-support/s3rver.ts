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
  /** Kill the server but keep its data (the endpoint refuses connections until restart()). */
  pause(): Promise<void>;
  /** Start it again on the same port and data directory. */
  restart(): Promise<void>;
  process: ChildProcess;
};

const require_ = createRequire(import.meta.url);

/** One s3rver process on `port` (0: it picks one) over `dir`; resolves with the port it listens on. */
async function spawnS3rver(dir: string, port: number, bucket: string): Promise<{ child: ChildProcess; port: number; exited: Promise<void> }> {
  const entry = path.join(path.dirname(require_.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    [entry, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent', '--no-vhost-buckets', '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
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
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { child, port: listening, exited };
}

/**
 * s3rver as a child process on a free loopback port (it picks the port: `-p 0`), with its data in
 * a fresh temp directory and `bucket` created at startup.
 */
export async function startS3rver(opts: { bucket?: string } = {}): Promise<S3rverHandle> {
  const bucket = opts.bucket ?? 'torsh-test';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-s3rver-'));
  let current = await spawnS3rver(dir, 0, bucket).catch(async (err) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const port = current.port;
  const kill = async () => {
    const { child, exited } = current;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const handle: S3rverHandle = {
    endpoint,
    bucket,
    credentials,
    process: current.child,
    storeOptions: (extra = {}) => ({ endpoint, bucket, credentials, region: 'us-east-1', forcePathStyle: true, ...extra }),
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
    pause: kill,
    async restart() {
      await kill();
      current = await spawnS3rver(dir, port, bucket);
      handle.process = current.child;
    },
  };
  return handle;
}
