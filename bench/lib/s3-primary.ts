// Publish and download through a real origin whose primary store is an S3 bucket on s3rver, with two
// references: s3rver's own PUT/GET of the same file (curl, SigV4), and the origin's S3 blob store
// alone in this process (stage + multipart upload, GetObject) (bench/replication.ts, part 2).
import { createReadStream, rmSync } from 'node:fs';
import path from 'node:path';
import { createS3BlobStore } from '../../lib/engine/storage/s3-blob-store';
import { startS3rver } from '../../lib/engine/storage/test-support/s3rver';
import { adminToken } from './admin-token';
import { fail, versionUrl } from './bench-context';
import { MiB } from './format';
import { makePackage, type BenchPackage } from './make-package';
import { RssSampler, type RssReport } from './measure-rss';
import { curlDownload, curlPublish } from './reference';
import { runChecked, syncDisks } from './run-command';
import type { Service } from './service';
import { startTorshServe } from './start-server';

const ROOT = path.resolve(__dirname, '..', '..');
const BUCKET = 'torsh-bench';

/** Bytes per second, one entry per repetition. */
export type S3Result = {
  bytes: number;
  publish: number[];
  download: number[];
  /** curl PUT / GET of the same package file straight to s3rver (SigV4, unsigned payload). */
  s3Put: number[];
  s3Get: number[];
  /**
   * The origin's S3 blob store alone, in the benchmark's process: put (stage to a temp file while
   * hashing, then the multipart upload) and get (GetObject, the body's bytes counted).
   */
  storePut: number[];
  storeGet: number[];
  /** The origin's process tree from its first health answer to the last download. */
  rss: RssReport;
};

/** `torsh serve --role origin` (headless: the same HTTP server and byte paths as `npm start`) on s3rver. */
function s3Origin(tmp: string, env: Record<string, string>, onSpawn: (pid: number) => void): Promise<Service> {
  return startTorshServe({
    root: ROOT,
    name: 'torsh serve --role origin (primary store on s3rver)',
    args: ['--role', 'origin', '--data', path.join(tmp, 'origin')],
    logFile: path.join(tmp, 'origin-s3.log'),
    env,
    onSpawn,
  });
}

function sigv4(credentials: { accessKeyId: string; secretAccessKey: string }): string[] {
  // s3rver checks SigV4 signatures; an unsigned payload lets curl stream the body.
  return ['--aws-sigv4', 'aws:amz:us-east-1:s3', '--user', `${credentials.accessKeyId}:${credentials.secretAccessKey}`, '-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD'];
}

/**
 * s3rver on loopback, an origin with TORSH_STORAGE=s3://… on it, then `repeats` rounds of: publish
 * a fresh version (curl -T), download it (curl), and s3rver's own PUT and GET of the same file.
 * Package files are built from `modelFile` one version at a time and removed after use.
 */
export async function benchS3Primary(opts: {
  tmp: string;
  mib: number;
  modelFile: string;
  repeats: number;
  log: (msg: string) => void;
  /** Told each process started, and s3rver's data dir: removed at exit if the run is interrupted. */
  track: (pid: number, dir?: string) => void;
}): Promise<S3Result> {
  const { tmp, mib, modelFile, repeats, log } = opts;
  const s3 = await startS3rver({ bucket: BUCKET });
  // startS3rver keeps its data in a temp dir of its own, passed to s3rver as `-d`.
  const args = s3.process.spawnargs;
  if (s3.process.pid) opts.track(s3.process.pid, args[args.indexOf('-d') + 1]);
  let origin: Service | null = null;
  try {
    origin = await s3Origin(
      tmp,
      {
        TORSH_STORAGE: `s3://${BUCKET}/primary`,
        TORSH_S3_ENDPOINT: s3.endpoint,
        TORSH_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        TORSH_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      },
      (pid) => opts.track(pid),
    );
    const token = await adminToken(origin.baseUrl, 'bench-replication');
    await new Promise((r) => setTimeout(r, 500));
    const sampler = new RssSampler(origin.pid, 100);
    sampler.start('idle: healthy, admin token issued, before the first publish');
    const result: Omit<S3Result, 'rss'> = { bytes: 0, publish: [], download: [], s3Put: [], s3Get: [], storePut: [], storeGet: [] };
    const store = createS3BlobStore({ ...s3.storeOptions({ prefix: 'store-reference' }), tempDir: path.join(tmp, 'store-staging') });
    for (let i = 0; i < repeats; i++) {
      const pkg: BenchPackage = await makePackage(tmp, mib, `2.0.${i}`, modelFile);
      result.bytes = pkg.bytes;
      syncDisks();
      sampler.phase(`publish ${i + 1}`);
      const pub = await curlPublish(versionUrl(origin.baseUrl, pkg), pkg.file, token);
      if (pub.status !== 201) fail(`publishing ${pkg.name}@${pkg.version} to the S3-backed origin answered ${pub.status}: ${pub.body.slice(0, 500)}`);
      result.publish.push(pkg.bytes / pub.seconds);
      sampler.phase(`download ${i + 1}`);
      const dl = await curlDownload(`${versionUrl(origin.baseUrl, pkg)}/download`, { authorization: `Bearer ${token}` });
      if (dl.status !== 200 || dl.bytes !== pkg.bytes) fail(`download from the S3-backed origin answered ${dl.status} with ${dl.bytes} of ${pkg.bytes} bytes`);
      result.download.push(dl.bytesPerSecond);
      sampler.phase('references (origin idle)');
      const key = `${s3.endpoint}/${BUCKET}/reference/${pkg.version}`;
      syncDisks();
      const put = await runChecked('curl', ['-sS', '-f', '-o', '/dev/null', ...sigv4(s3.credentials), '-T', pkg.file, key]);
      result.s3Put.push(pkg.bytes / put.seconds);
      const signed = await runChecked('curl', ['-sS', '-f', '-o', '/dev/null', ...sigv4(s3.credentials), '-w', '%{speed_download} %{size_download}', key]);
      const [speed, size] = signed.stdout.trim().split(/\s+/).map(Number);
      if (size !== pkg.bytes) fail(`s3rver GET returned ${size} of ${pkg.bytes} bytes`);
      result.s3Get.push(speed);
      syncDisks();
      const t0 = performance.now();
      const stored = await store.put(createReadStream(pkg.file, { highWaterMark: MiB }));
      result.storePut.push(pkg.bytes / ((performance.now() - t0) / 1000));
      const t1 = performance.now();
      let got = 0;
      for await (const chunk of await store.get(stored.digest)) got += (chunk as Buffer).length;
      if (got !== pkg.bytes) fail(`the S3 blob store read back ${got} of ${pkg.bytes} bytes`);
      result.storeGet.push(pkg.bytes / ((performance.now() - t1) / 1000));
      // The reference copies are not needed again: s3rver's disk holds the published versions only.
      await store.delete(stored.digest);
      await runChecked('curl', ['-sS', '-f', '-o', '/dev/null', ...sigv4(s3.credentials), '-X', 'DELETE', key]);
      rmSync(pkg.file);
      log(`  round ${i + 1}/${repeats}: publish ${(result.publish[i] / 1e6).toFixed(0)} MB/s, download ${(result.download[i] / 1e6).toFixed(0)} MB/s`);
    }
    return { ...result, rss: sampler.stop() };
  } finally {
    await origin?.stop();
    await s3.stop();
  }
}
