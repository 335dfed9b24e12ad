// `npm run bench:distribution` (part of `npm run bench`): the distribution network's data paths,
// each beside a reference measured in the same run.
// 1. Download of one large package from an edge on a hit, vs from the origin, vs nginx serving the
//    same blob file (target: edge hit ≥ 0.9× nginx).
// 2. A fresh mirror syncing 20 packages (2 GiB in all) from the origin, vs `cp` of the same blob files.
// 3. Time from a publish's 201 to the version being downloadable on both of two caught-up mirrors.
// Processes: `torsh serve --role origin|mirror|edge` (the origin headless: the same HTTP server and
// download path as `npm start`, without Next's pages), nginx, curl as the client.
// --quick: 64 MiB download, 20 × 8 MiB sync, 3 publishes; results to bench/out/RESULTS-quick.md.
// BENCH_DIST_DOWNLOAD_MIB=1024  BENCH_DIST_SYNC_MIB=2048  BENCH_DIST_PUBLISHES=10  BENCH_REPEAT=3
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminToken } from './lib/admin-token';
import { fail } from './lib/bench-context';
import { fmt, logger, machineLine, MB, MiB } from './lib/format';
import { makeModelFile, makePackage, type BenchPackage } from './lib/make-package';
import { startNginx } from './lib/nginx';
import { startNodeFileServer } from './lib/node-file-server';
import { curlDownload, curlPublish } from './lib/reference';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { syncDisks } from './lib/run-command';
import { killGroup, type Service } from './lib/service';
import { startTorshServe } from './lib/start-server';
import { median } from './lib/stats';
import { writeRandomFile } from './lib/random-file';
import { writePackage } from '../lib/engine/format/write-package';
import { benchManifest } from './lib/make-package';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench:distribution');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DOWNLOAD_MIB = num('BENCH_DIST_DOWNLOAD_MIB', QUICK ? 64 : 1024);
const SYNC_MIB = num('BENCH_DIST_SYNC_MIB', QUICK ? 160 : 2048);
const SYNC_PACKAGES = 20;
const PUBLISHES = num('BENCH_DIST_PUBLISHES', QUICK ? 3 : 10);
const REPEAT = num('BENCH_REPEAT', QUICK ? 1 : 3);

const pids = new Set<number>();
process.on('exit', () => {
  for (const pid of pids) killGroup(pid, 'SIGKILL');
});

function role(tmp: string, label: string, args: string[]): Promise<Service> {
  return startTorshServe({ root: ROOT, args, logFile: path.join(tmp, `${label}.log`), onSpawn: (pid) => pids.add(pid) });
}

async function publish(origin: string, token: string, pkg: BenchPackage): Promise<number> {
  const r = await curlPublish(`${origin}/api/v1/packages/${pkg.name}/${pkg.version}`, pkg.file, token);
  if (r.status !== 201) fail(`publishing ${pkg.name}@${pkg.version} answered ${r.status}: ${r.body}`);
  return r.seconds;
}

type Health = { feed?: { position: number; head: number; lag_changes: number } };

async function health(url: string): Promise<Health> {
  return (await fetch(`${url}/api/v1/health`)).json() as Promise<Health>;
}

/** Largest blob file under a data dir (the package's bytes as the origin stores them). */
function blobFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^[0-9a-f]{64}$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(dataDir, 'blobs'));
  return out;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(p * xs.length)) - 1];

type DownloadRow = { label: string; url: string; mbps: number[] };

/** One curl download; MB/s. */
async function timedDownload(row: DownloadRow, bytes: number): Promise<void> {
  const r = await curlDownload(row.url);
  if (r.status !== 200 || r.bytes !== bytes) fail(`${row.label}: ${row.url} answered ${r.status} with ${r.bytes} of ${bytes} bytes`);
  row.mbps.push(r.bytesPerSecond / MB);
}

async function main() {
  await ensureTools(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-dist-'));
  const load = os.loadavg()[0];
  const machine = machineLine(load);
  try {
    // 1. Edge hit vs origin vs nginx.
    const originDir = path.join(tmp, 'origin');
    const origin = await role(tmp, 'origin', ['--role', 'origin', '--data', originDir]);
    const token = await adminToken(origin.baseUrl, 'bench');
    log(`building a ${DOWNLOAD_MIB} MiB package`);
    const model = await makeModelFile(tmp, DOWNLOAD_MIB);
    const big = await makePackage(tmp, DOWNLOAD_MIB, '1.0.0', model);
    rmSync(model);
    await publish(origin.baseUrl, token, big);
    const edge = await role(tmp, 'edge', ['--role', 'edge', '--origin', origin.baseUrl, '--data', path.join(tmp, 'edge'), '--cache-size', `${Math.ceil((DOWNLOAD_MIB * 2) / 1024) + 1}GiB`]);
    const path1 = `/api/v1/packages/${big.name}/${big.version}/download`;
    const miss = await curlDownload(edge.baseUrl + path1);
    if (miss.status !== 200 || miss.bytes !== big.bytes) fail(`edge miss answered ${miss.status}, ${miss.bytes} bytes`);
    const [blob] = blobFiles(originDir).filter((f) => statSync(f).size === big.bytes);
    if (!blob) fail('the published blob file was not found under the origin data dir');
    const nginxRoot = path.join(tmp, 'nginx-root');
    mkdirSync(nginxRoot);
    copyFileSync(blob, path.join(nginxRoot, 'package.torshpkg'));
    const nginx = await startNginx(nginxRoot, path.join(tmp, 'nginx'));
    pids.add(nginx.pid);
    const nodeFiles = await startNodeFileServer(path.join(nginxRoot, 'package.torshpkg'), tmp);
    pids.add(nodeFiles.pid);
    syncDisks();
    log('downloads: nginx, edge hit, origin (interleaved)');
    const rows: DownloadRow[] = [
      { label: 'nginx (static file, sendfile)', url: `${nginx.baseUrl}/package.torshpkg`, mbps: [] },
      { label: 'bare node:http file server (reference: Node without sendfile)', url: `${nodeFiles.baseUrl}/`, mbps: [] },
      { label: 'edge, cache hit', url: edge.baseUrl + path1, mbps: [] },
      { label: 'origin', url: origin.baseUrl + path1, mbps: [] },
    ];
    for (let i = 0; i < REPEAT; i++) for (const row of rows) await timedDownload(row, big.bytes);
    const stats = (await (await fetch(`${edge.baseUrl}/api/v1/cache/stats`)).json()) as { hits: number; misses: number };
    await nginx.stop();
    await nodeFiles.stop();
    await edge.stop();

    // 2. Mirror sync of 20 packages vs cp.
    const each = Math.max(1, Math.floor(SYNC_MIB / SYNC_PACKAGES));
    log(`publishing ${SYNC_PACKAGES} × ${each} MiB for the mirror sync`);
    const syncPkgs: BenchPackage[] = [];
    for (let i = 0; i < SYNC_PACKAGES; i++) {
      const file = path.join(tmp, `sync-${i}.bin`);
      await writeRandomFile(file, each * MiB);
      const pkgFile = path.join(tmp, `sync-${i}.torshpkg`);
      const name = `bench-sync-${i}`;
      await writePackage(pkgFile, { manifest: benchManifest(name, '1.0.0', 'mirror sync benchmark'), files: [{ path: 'models/model.bin', source: file }] });
      rmSync(file);
      const pkg = { name, version: '1.0.0', file: pkgFile, bytes: statSync(pkgFile).size };
      await publish(origin.baseUrl, token, pkg);
      rmSync(pkgFile);
      syncPkgs.push(pkg);
    }
    const syncBytes = syncPkgs.reduce((n, p) => n + p.bytes, 0);
    const originBlobs = blobFiles(originDir).filter((f) => statSync(f).size !== big.bytes);
    syncDisks();
    const cpDir = path.join(tmp, 'cp');
    mkdirSync(cpDir);
    const cp0 = performance.now();
    for (const f of originBlobs) copyFileSync(f, path.join(cpDir, path.basename(f)));
    syncDisks();
    const cpSeconds = (performance.now() - cp0) / 1000;
    rmSync(cpDir, { recursive: true });
    const head = (await health(origin.baseUrl)).feed?.head ?? fail('the origin health has no feed head');
    const t0 = performance.now();
    const mirror = await role(tmp, 'mirror-sync', ['--role', 'mirror', '--upstream', origin.baseUrl, '--data', path.join(tmp, 'mirror-sync')]);
    const startSeconds = (performance.now() - t0) / 1000;
    for (;;) {
      const h = await health(mirror.baseUrl);
      if ((h.feed?.position ?? 0) >= head) break;
      if (performance.now() - t0 > 30 * 60_000) fail('the mirror did not catch up in 30 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const syncSeconds = (performance.now() - t0) / 1000;
    await mirror.stop();
    rmSync(path.join(tmp, 'mirror-sync'), { recursive: true, force: true });

    // 3. Publish → visible on both mirrors.
    const mirrors = [
      await role(tmp, 'mirror-a', ['--role', 'mirror', '--upstream', origin.baseUrl, '--data', path.join(tmp, 'mirror-a')]),
      await role(tmp, 'mirror-b', ['--role', 'mirror', '--upstream', origin.baseUrl, '--data', path.join(tmp, 'mirror-b')]),
    ];
    const caughtUp = async () => {
      const want = (await health(origin.baseUrl)).feed!.head;
      for (;;) {
        const hs = await Promise.all(mirrors.map((m) => health(m.baseUrl)));
        if (hs.every((h) => (h.feed?.position ?? 0) >= want)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await caughtUp();
    const visible: number[] = [];
    const smallModel = path.join(tmp, 'small.bin');
    await writeRandomFile(smallModel, 1 * MiB);
    for (let i = 0; i < PUBLISHES; i++) {
      const name = 'bench-visible';
      const version = `1.0.${i}`;
      const file = path.join(tmp, `visible-${i}.torshpkg`);
      await writePackage(file, { manifest: benchManifest(name, version, 'publish to visible'), files: [{ path: 'models/model.bin', source: smallModel }] });
      await publish(origin.baseUrl, token, { name, version, file, bytes: statSync(file).size });
      const t = performance.now();
      await Promise.all(
        mirrors.map(async (m) => {
          for (;;) {
            const res = await fetch(`${m.baseUrl}/api/v1/packages/${name}/${version}/download`, { method: 'HEAD' });
            if (res.status === 200) return;
            await new Promise((r) => setTimeout(r, 5));
          }
        }),
      );
      visible.push(performance.now() - t);
    }
    for (const m of mirrors) await m.stop();
    await origin.stop();

    const nginxMbps = median(rows[0].mbps);
    const nodeMbps = median(rows[1].mbps);
    const edgeMbps = median(rows[2].mbps);
    const originMbps = median(rows[3].mbps);
    const ratio = edgeMbps / nginxMbps;
    const syncMBps = syncBytes / MB / syncSeconds;
    const cpMBps = syncBytes / MB / cpSeconds;
    const text = [
      `### Run ${new Date().toISOString()}${QUICK ? ' (quick)' : ''}`,
      '',
      `Machine: ${machine}${load > 0.5 ? ' (skewed: load above 0.5 before the run)' : ''}. Every process on loopback: a headless origin (\`torsh serve --role origin\`), an edge, mirrors, nginx; curl as the client, body to /dev/null; ${REPEAT} runs per row, interleaved, median shown.`,
      '',
      `#### Download of ${fmt(big.bytes / MiB)} MiB (package ${fmt(big.bytes)} bytes)`,
      '',
      '| source | MB/s (median) | runs | vs nginx |',
      '|---|---:|---|---:|',
      ...rows.map((r) => `| ${r.label} | ${fmt(median(r.mbps))} | ${r.mbps.map((x) => fmt(x)).join(', ')} | ${(median(r.mbps) / nginxMbps).toFixed(2)}× |`),
      '',
      `Edge hit vs nginx: **${ratio.toFixed(2)}×** (target ≥ 0.9×: ${ratio >= 0.9 ? 'PASS' : 'MISS'}). The first edge download (the miss that filled the cache) ran at ${fmt(miss.bytesPerSecond / MB)} MB/s; origin vs nginx ${(originMbps / nginxMbps).toFixed(2)}×; edge hit vs the bare Node file server ${(edgeMbps / nodeMbps).toFixed(2)}×. Edge counters after the runs: ${stats.hits} hits, ${stats.misses} misses.`,
      '',
      `#### Mirror sync: ${SYNC_PACKAGES} packages, ${fmt(syncBytes / MiB)} MiB`,
      '',
      '| what | seconds | MB/s |',
      '|---|---:|---:|',
      `| fresh mirror: process spawn → feed position = origin head (blobs fetched, sha256-verified, fsynced, rows applied) | ${syncSeconds.toFixed(2)} | ${fmt(syncMBps)} |`,
      `| the same, without the process start (${startSeconds.toFixed(2)} s to its first health answer, syncing already) | ${(syncSeconds - startSeconds).toFixed(2)} | ${fmt(syncBytes / MB / (syncSeconds - startSeconds))} |`,
      `| \`cp\` of the same ${originBlobs.length} blob files, then sync | ${cpSeconds.toFixed(2)} | ${fmt(cpMBps)} |`,
      '',
      `Mirror sync vs cp: ${(syncMBps / cpMBps).toFixed(2)}× from spawn, ${(syncBytes / MB / (syncSeconds - startSeconds) / cpMBps).toFixed(2)}× without the start (cp neither hashes nor fsyncs each file; the mirror does both, and its bytes cross HTTP from another process).`,
      '',
      `#### Publish → downloadable on both mirrors (${PUBLISHES} publishes of a 1 MiB package)`,
      '',
      `p50 ${fmt(percentile(visible, 0.5))} ms, p95 ${fmt(percentile(visible, 0.95))} ms, max ${fmt(Math.max(...visible))} ms (from the publish's 201 to a 200 on both mirrors, polled every 5 ms).`,
    ].join('\n');
    insertRun(resultsFile(QUICK), 'distribution', text);
    log(text);
  } finally {
    for (const pid of pids) killGroup(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  for (const pid of pids) killGroup(pid, 'SIGKILL');
  process.exit(1);
});
