// `npm run bench`: publish/download throughput and server peak RSS against the real server.
// BENCH_SIZES=16,64 npm run bench   (model sizes in MiB; default 256,1024)
// BENCH_REPEAT=1 npm run bench      (repetitions per size, default 3; medians reported)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, BENCH_ADMIN_PASSWORD } from './lib/admin-token';
import { download, publish } from './lib/http-client';
import { makeModelFile, makePackage, packageName } from './lib/make-package';
import { RssSampler, rssNow } from './lib/measure-rss';
import { curlDownload, curlPublish, hasCommand, referencePipeline } from './lib/reference';
import { killGroup, startServer, type Server } from './lib/start-server';
import { consoleTable, runSection, updateResultsFile, type RunInfo, type SizeResult } from './lib/write-results';

const ROOT = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const MB = 1e6;

function log(msg: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function parseSizes(): number[] {
  const raw = process.env.BENCH_SIZES ?? '256,1024';
  const sizes = raw.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new Error(`BENCH_SIZES must be a comma list of positive integers (MiB), got ${JSON.stringify(raw)}`);
  }
  return sizes;
}

function fail(msg: string): never {
  throw new Error(msg);
}

function sync(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

async function benchSize(server: Server, token: string, mib: number, repeats: number, dir: string, curl: boolean): Promise<SizeResult> {
  let t0 = Date.now();
  const modelFile = await makeModelFile(dir, mib);
  log(`${mib} MiB: random model file written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const r: Omit<SizeResult, 'rss'> = {
    mib,
    name: packageName(mib),
    packageBytes: 0,
    digest: '',
    publish: [],
    reference: [],
    download: [],
    hashedDownload: 0,
    curl: curl ? [] : null,
  };
  const sampler = new RssSampler(server.pid, 100);
  try {
    for (let rep = 0; rep < repeats; rep++) {
      // A fresh version per repetition: versions are immutable, and the manifest must match the URL.
      t0 = Date.now();
      const pkg = await makePackage(dir, mib, `1.0.${rep}`, modelFile);
      const label = `${pkg.name}@${pkg.version}`;
      log(`${label}: package built (${pkg.bytes} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      try {
        sync();
        const ref = await referencePipeline(pkg.file, path.join(dir, 'reference-copy.bin'));
        r.reference.push(pkg.bytes / ref.seconds);
        sync();

        if (rep === 0) sampler.start();
        const pub = curl
          ? await curlPublish(`${server.baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}`, pkg.file, token)
          : await publish(server.baseUrl, pkg.name, pkg.version, pkg.file, pkg.bytes, token);
        if (pub.status !== 201) fail(`publish of ${label} answered ${pub.status}: ${pub.body.slice(0, 500)}`);
        if (pub.digest !== ref.sha256) fail(`publish digest ${pub.digest} differs from the file's ${ref.sha256}`);
        if (pub.size !== pkg.bytes) fail(`publish reported size ${pub.size}, the file has ${pkg.bytes} bytes`);
        r.publish.push(pkg.bytes / pub.seconds);
        // Flush the just-stored blob so background writeback does not compete with the downloads.
        sync();

        if (rep === 0) {
          r.packageBytes = pkg.bytes;
          r.digest = pub.digest;
          const checked = await download(server.baseUrl, pkg.name, pkg.version, true);
          if (checked.status !== 200) fail(`download of ${label} answered ${checked.status}`);
          if (checked.bytes !== pkg.bytes) fail(`download of ${label} gave ${checked.bytes} bytes, expected ${pkg.bytes}`);
          if (checked.sha256 !== pub.digest) fail(`downloaded sha256 ${checked.sha256} differs from the published ${pub.digest}`);
          if (checked.headerDigest !== null && checked.headerDigest !== pub.digest) {
            fail(`X-Torsh-Digest ${checked.headerDigest} differs from ${pub.digest}`);
          }
          r.hashedDownload = pkg.bytes / checked.seconds;
        }

        sync();
        const timed = await download(server.baseUrl, pkg.name, pkg.version, false);
        if (timed.status !== 200) fail(`download of ${label} answered ${timed.status}`);
        if (timed.bytes !== pkg.bytes) fail(`download of ${label} gave ${timed.bytes} bytes, expected ${pkg.bytes}`);
        r.download.push(pkg.bytes / timed.seconds);

        let curlNote = '';
        if (r.curl) {
          sync();
          const c = await curlDownload(`${server.baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}/download`);
          if (c.status !== 200) fail(`curl download of ${label} answered ${c.status}`);
          if (c.bytes !== pkg.bytes) fail(`curl download of ${label} gave ${c.bytes} bytes, expected ${pkg.bytes}`);
          r.curl.push(c.bytesPerSecond);
          curlNote = `, curl ${(c.bytesPerSecond / MB).toFixed(0)}`;
        }
        const last = (xs: number[]) => (xs[xs.length - 1] / MB).toFixed(0);
        log(
          `${label}: reference ${last(r.reference)}, publish ${last(r.publish)} (ratio ${(r.publish[rep] / r.reference[rep]).toFixed(2)}), ` +
            `download ${last(r.download)}${curlNote} MB/s`,
        );
      } finally {
        await rm(pkg.file, { force: true });
      }
    }
  } catch (err) {
    sampler.stop();
    throw err;
  } finally {
    await rm(modelFile, { force: true });
  }
  return { ...r, rss: sampler.stop() };
}

async function main(): Promise<number> {
  const sizes = parseSizes();
  const repeats = Number(process.env.BENCH_REPEAT ?? '3');
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`BENCH_REPEAT must be a positive integer`);
  const loadBefore = os.loadavg()[0];
  if (loadBefore > 0.5) log(`warning: 1-min load average is ${loadBefore.toFixed(2)}; other work on the machine will skew the figures`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-'));
  let serverPid: number | null = null;
  let server: Server | null = null;

  const emergencyCleanup = () => {
    if (serverPid !== null) killGroup(serverPid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: stopping the server and removing ${tmp}`);
      if (serverPid !== null) killGroup(serverPid, 'SIGTERM');
      emergencyCleanup();
      process.exit(130);
    });
  }
  process.on('exit', () => {
    if (serverPid !== null) killGroup(serverPid, 'SIGKILL');
  });

  try {
    const pkgDir = path.join(tmp, 'packages');
    const dataDir = path.join(tmp, 'data');
    mkdirSync(pkgDir);
    mkdirSync(dataDir);
    log(`temp dir ${tmp}; sizes ${sizes.join(', ')} MiB; ${repeats} repetition(s) each`);

    log('starting the server with node bin/start.mjs (builds first if the build is stale)…');
    const t0 = Date.now();
    server = await startServer({
      root: ROOT,
      dataDir,
      logFile: path.join(tmp, 'server.log'),
      onSpawn: (pid) => (serverPid = pid),
      env: { TORSH_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
    });
    const token = await adminToken(server.baseUrl, 'bench-registry');
    const serverStartSeconds = (Date.now() - t0) / 1000;
    log(`server healthy on ${server.baseUrl} (pid ${server.pid}) after ${serverStartSeconds.toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssNow(server.pid);
    log(`idle server RSS: largest ${(idleRss.largestBytes / MB).toFixed(0)} MB, sum ${(idleRss.sumBytes / MB).toFixed(0)} MB (${idleRss.processes} processes)`);

    const curl = hasCommand('curl');
    if (!curl) log('curl not found: skipping the curl figure');
    const results: SizeResult[] = [];
    for (const mib of sizes) results.push(await benchSize(server, token, mib, repeats, pkgDir, curl));

    const info: RunInfo = {
      date: new Date().toISOString(),
      cpu: os.cpus()[0]?.model ?? 'unknown CPU',
      cores: os.cpus().length,
      ramBytes: os.totalmem(),
      node: process.version,
      kernel: execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim(),
      serverStartSeconds,
      idleRss,
      repeats,
      loadBefore,
    };
    console.log(consoleTable(results));
    updateResultsFile(RESULTS_FILE, runSection(info, results));
    log(`wrote ${path.relative(ROOT, RESULTS_FILE)}`);
    return 0;
  } catch (err) {
    console.error(`[bench] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (server) await server.stop();
    else if (serverPid !== null) killGroup(serverPid, 'SIGKILL');
    serverPid = null;
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
