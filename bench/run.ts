// `npm run bench:registry` (part of `npm run bench`): publish/download of large packages, then
// requests under load (wrk) beside nginx and Verdaccio, with the origin's peak RSS over the whole run.
// --quick: one 64 MiB size, one repetition, 5 s of load per row; results to bench/out/RESULTS-quick.md.
// BENCH_SIZES=256,1024 (MiB)  BENCH_REPEAT=3  BENCH_WRK_SECONDS=30  BENCH_EVENTS=1000000
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { adminToken, BENCH_ADMIN_PASSWORD } from './lib/admin-token';
import { insertDownloadEvents } from './lib/download-events';
import { fmt, logger, MB } from './lib/format';
import { download } from './lib/http-client';
import { makeModelFile, makePackage, type BenchPackage } from './lib/make-package';
import { RssSampler, rssNow } from './lib/measure-rss';
import { startNginx } from './lib/nginx';
import { curlDownload, curlPublish, referencePipeline } from './lib/reference';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { killGroup, type Service } from './lib/service';
import { startServer } from './lib/start-server';
import { ensureVerdaccio, seedVerdaccio, startVerdaccio, VERDACCIO_VERSION } from './lib/verdaccio';
import { runSection, type LoadKey, type LoadRow, type RunInfo, type SizeResult } from './lib/write-results';
import { runWrk, writeWrkScript, type WrkOptions } from './lib/wrk';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench');
const VERDACCIO_PACKAGE = 'bench-npm-package';
const SEARCH_QUERY = 'bench';

function positiveInts(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`${name} must be positive integers, got ${JSON.stringify(raw)}`);
  return xs;
}

const SIZES = positiveInts('BENCH_SIZES', QUICK ? '64' : '256,1024');
const [REPEATS] = positiveInts('BENCH_REPEAT', QUICK ? '1' : '3');
const [WRK_SECONDS] = positiveInts('BENCH_WRK_SECONDS', QUICK ? '5' : '30');
const [EVENTS] = positiveInts('BENCH_EVENTS', '1000000');
const WARMUP_SECONDS = QUICK ? 1 : 2;

function fail(msg: string): never {
  throw new Error(msg);
}

const sync = () => spawnSync('sync', { stdio: 'ignore' });
const pkgUrl = (baseUrl: string, pkg: { name: string; version: string }) => `${baseUrl}/api/v1/packages/${pkg.name}/${pkg.version}`;
const lastMBps = (xs: number[]) => fmt(xs[xs.length - 1] / MB);

type Context = { baseUrl: string; token: string; nginx: Service; pkgDir: string };

async function benchSize(ctx: Context, mib: number): Promise<SizeResult> {
  const auth = { authorization: `Bearer ${ctx.token}` };
  let t0 = Date.now();
  const modelFile = await makeModelFile(ctx.pkgDir, mib);
  log(`${mib} MiB: random model file written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const r: SizeResult = { mib, packageBytes: 0, digest: '', publish: [], reference: [], download: [], nginx: [], nodeDownload: [], hashedDownload: 0 };
  try {
    for (let rep = 0; rep < REPEATS; rep++) {
      // A fresh version per repetition: versions are immutable, and the manifest must match the URL.
      t0 = Date.now();
      const pkg = await makePackage(ctx.pkgDir, mib, `1.0.${rep}`, modelFile);
      const label = `${pkg.name}@${pkg.version}`;
      log(`${label}: package built (${pkg.bytes} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      try {
        sync();
        const ref = await referencePipeline(pkg.file, path.join(ctx.pkgDir, 'reference-copy.bin'));
        r.reference.push(pkg.bytes / ref.seconds);
        sync();
        const pub = await curlPublish(pkgUrl(ctx.baseUrl, pkg), pkg.file, ctx.token);
        if (pub.status !== 201) fail(`publish of ${label} answered ${pub.status}: ${pub.body.slice(0, 500)}`);
        if (pub.digest !== ref.sha256) fail(`publish digest ${pub.digest} differs from the file's ${ref.sha256}`);
        if (pub.size !== pkg.bytes) fail(`publish reported size ${pub.size}, the file has ${pkg.bytes} bytes`);
        r.publish.push(pkg.bytes / pub.seconds);
        // Flush the just-stored blob so background writeback does not compete with the downloads.
        sync();

        if (rep === 0) {
          r.packageBytes = pkg.bytes;
          r.digest = pub.digest;
          const checked = await download(ctx.baseUrl, pkg.name, pkg.version, true, ctx.token);
          if (checked.status !== 200) fail(`download of ${label} answered ${checked.status}`);
          if (checked.bytes !== pkg.bytes) fail(`download of ${label} gave ${checked.bytes} bytes, expected ${pkg.bytes}`);
          if (checked.sha256 !== pub.digest) fail(`downloaded sha256 ${checked.sha256} differs from the published ${pub.digest}`);
          if (checked.headerDigest !== null && checked.headerDigest !== pub.digest) fail(`X-Torsh-Digest ${checked.headerDigest} differs from ${pub.digest}`);
          r.hashedDownload = pkg.bytes / checked.seconds;
        }
        sync();
        const timed = await download(ctx.baseUrl, pkg.name, pkg.version, false, ctx.token);
        if (timed.status !== 200 || timed.bytes !== pkg.bytes) fail(`download of ${label}: ${timed.status}, ${timed.bytes} bytes, expected ${pkg.bytes}`);
        r.nodeDownload.push(pkg.bytes / timed.seconds);

        const ours = await curlDownload(`${pkgUrl(ctx.baseUrl, pkg)}/download`, auth);
        if (ours.status !== 200 || ours.bytes !== pkg.bytes) fail(`curl download of ${label}: ${ours.status}, ${ours.bytes} bytes`);
        r.download.push(ours.bytesPerSecond);
        const ref2 = await curlDownload(`${ctx.nginx.baseUrl}/${path.basename(pkg.file)}`);
        if (ref2.status !== 200 || ref2.bytes !== pkg.bytes) fail(`nginx download of ${pkg.file}: ${ref2.status}, ${ref2.bytes} bytes`);
        r.nginx.push(ref2.bytesPerSecond);
        log(
          `${label}: reference ${lastMBps(r.reference)}, publish ${lastMBps(r.publish)} (ratio ${(r.publish[rep] / r.reference[rep]).toFixed(2)}), ` +
            `download ${lastMBps(r.download)} (nginx ${lastMBps(r.nginx)}, node ${lastMBps(r.nodeDownload)}) MB/s`,
        );
      } finally {
        await rm(pkg.file, { force: true });
      }
    }
  } finally {
    await rm(modelFile, { force: true });
  }
  return r;
}

/** One GET before the load: the URL must answer 200 (and `check` must hold), else the figures mean nothing. */
async function preflight(url: string, headers: Record<string, string>, check: (body: Buffer) => string | null): Promise<void> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) fail(`GET ${url} answered ${res.status}: ${body.toString('utf8', 0, 300)}`);
  const problem = check(body);
  if (problem) fail(`GET ${url}: ${problem}`);
  log(`pre-flight GET ${new URL(url).pathname}${new URL(url).search}: 200 in ${fmt(performance.now() - t0)} ms`);
}

/** Warms the target up, then measures it under load. */
async function load(script: string, request: string, server: string, url: string, headers: Record<string, string> = {}): Promise<LoadRow> {
  const opts: WrkOptions = { seconds: WRK_SECONDS, headers };
  await runWrk(url, script, { ...opts, seconds: WARMUP_SECONDS });
  const result = await runWrk(url, script, opts);
  log(`${server} ${request}: ${fmt(result.reqPerSec)} req/s, ${fmt(result.bytesPerSec / MB)} MB/s, ${result.non2xx} non-2xx, ${result.socketErrors} socket errors`);
  return { request, server, result };
}

const hasBytes = (n: number) => (b: Buffer) => (b.length === n ? null : `${b.length} bytes, expected ${n}`);
const jsonWith = (needle: string) => (b: Buffer) => {
  const text = b.toString('utf8');
  JSON.parse(text);
  return text.includes(needle) ? null : `the JSON answer does not mention ${needle}`;
};

async function smallDownloads(ctx: Context, script: string, small: BenchPackage): Promise<Pick<Record<LoadKey, LoadRow>, 'nginx-1m' | 'ours-1m'>> {
  const auth = { authorization: `Bearer ${ctx.token}` };
  const nginxUrl = `${ctx.nginx.baseUrl}/${path.basename(small.file)}`;
  const oursUrl = `${pkgUrl(ctx.baseUrl, small)}/download`;
  await preflight(nginxUrl, {}, hasBytes(small.bytes));
  await preflight(oursUrl, auth, hasBytes(small.bytes));
  return {
    'nginx-1m': await load(script, `GET of the 1 MiB package file`, 'nginx', nginxUrl),
    'ours-1m': await load(script, `\`GET /api/v1/packages/${small.name}/${small.version}/download\` (1 MiB)`, 'ours', oursUrl, auth),
  };
}

async function apiLoad(ctx: Context, script: string, name: string, suffix: string): Promise<[LoadRow, LoadRow]> {
  const auth = { authorization: `Bearer ${ctx.token}` };
  const metaUrl = `${ctx.baseUrl}/api/v1/packages/${name}`;
  const searchUrl = `${ctx.baseUrl}/api/v1/search?q=${SEARCH_QUERY}`;
  await preflight(metaUrl, auth, jsonWith(name));
  await preflight(searchUrl, auth, jsonWith(name));
  return [
    await load(script, `\`GET /api/v1/packages/${name}\`${suffix}`, 'ours', metaUrl, auth),
    await load(script, `\`GET /api/v1/search?q=${SEARCH_QUERY}\`${suffix}`, 'ours', searchUrl, auth),
  ];
}

async function verdaccioLoad(tmp: string, script: string, track: (pid: number | null) => void): Promise<LoadRow> {
  const verdaccio = await startVerdaccio(path.join(tmp, 'verdaccio'));
  track(verdaccio.pid);
  try {
    await seedVerdaccio(verdaccio.baseUrl, path.join(tmp, 'verdaccio'), VERDACCIO_PACKAGE);
    const url = `${verdaccio.baseUrl}/${VERDACCIO_PACKAGE}`;
    await preflight(url, {}, jsonWith(VERDACCIO_PACKAGE));
    return await load(script, `\`GET /${VERDACCIO_PACKAGE}\` (npm metadata)`, `Verdaccio ${VERDACCIO_VERSION}`, url);
  } finally {
    await verdaccio.stop();
    track(null);
  }
}

function versionOf(cmd: string, args: string[], pattern: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.match(pattern)?.[0] ?? cmd;
}

async function main(): Promise<number> {
  const loadBefore = os.loadavg()[0];
  if (loadBefore > 0.5) log(`warning: 1-min load average is ${loadBefore.toFixed(2)}; other work on the machine will skew the figures`);
  await ensureTools(log);
  await ensureVerdaccio(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-'));
  // Every process we start, by pid, so a failure or ^C never leaves one behind.
  const children = new Map<string, number>();
  const track = (name: string) => (pid: number | null) => (pid === null ? children.delete(name) : children.set(name, pid));
  const killAll = () => {
    for (const pid of children.values()) killGroup(pid, 'SIGKILL');
    children.clear();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.error(`\n[bench] ${sig}: stopping what the benchmark started and removing ${tmp}`);
      killAll();
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  process.on('exit', killAll);

  const services: Service[] = [];
  try {
    const pkgDir = path.join(tmp, 'packages');
    const dataDir = path.join(tmp, 'data');
    mkdirSync(pkgDir);
    mkdirSync(dataDir);
    const script = writeWrkScript(tmp);
    log(`temp dir ${tmp}; sizes ${SIZES.join(', ')} MiB × ${REPEATS}; load ${WRK_SECONDS} s per row${QUICK ? ' (quick)' : ''}`);

    const nginx = await startNginx(pkgDir, path.join(tmp, 'nginx'));
    services.push(nginx);
    track('nginx')(nginx.pid);
    log('starting the registry with node bin/start.mjs (builds first if the build is stale)…');
    const t0 = Date.now();
    const server = await startServer({
      root: ROOT,
      dataDir,
      logFile: path.join(tmp, 'server.log'),
      onSpawn: track('server'),
      env: { TORSH_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
    });
    services.push(server);
    const serverStartSeconds = (Date.now() - t0) / 1000;
    const token = await adminToken(server.baseUrl, 'bench-registry');
    log(`registry healthy on ${server.baseUrl} (pid ${server.pid}) after ${serverStartSeconds.toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssNow(server.pid);
    const sampler = new RssSampler(server.pid, 100);
    sampler.start('start-up to first publish');
    const ctx: Context = { baseUrl: server.baseUrl, token, nginx, pkgDir };

    const sizes: SizeResult[] = [];
    for (const mib of SIZES) {
      sampler.phase(`${mib} MiB publish and download`);
      sizes.push(await benchSize(ctx, mib));
    }

    sampler.phase('1 MiB downloads under load');
    const smallModel = await makeModelFile(pkgDir, 1);
    const small = await makePackage(pkgDir, 1, '1.0.0', smallModel);
    const pub = await curlPublish(pkgUrl(server.baseUrl, small), small.file, token);
    if (pub.status !== 201) fail(`publish of ${small.name}@${small.version} answered ${pub.status}: ${pub.body.slice(0, 500)}`);
    const downloads = await smallDownloads(ctx, script, small);

    sampler.phase('Verdaccio under load (origin idle)');
    const verdaccio = await verdaccioLoad(tmp, script, track('verdaccio'));

    sampler.phase('metadata and search under load');
    const [meta, search] = await apiLoad(ctx, script, small.name, '');

    sampler.phase(`inserting ${fmt(EVENTS)} download events`);
    const events = insertDownloadEvents(path.join(dataDir, 'torsh.db'), EVENTS);
    log(`${fmt(events.rows)} download events inserted in ${events.seconds.toFixed(1)} s`);
    sampler.phase(`metadata and search under load, ${fmt(EVENTS)} download events`);
    const [metaEvents, searchEvents] = await apiLoad(ctx, script, small.name, `, ${fmt(EVENTS)} events`);
    const rss = sampler.stop();

    const info: RunInfo = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine:
        `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB RAM, ` +
        `Node ${process.version}, Linux ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`,
      loadBefore,
      serverStartSeconds,
      idleRss,
      repeats: REPEATS,
      wrk: { threads: 2, connections: 64, seconds: WRK_SECONDS, warmupSeconds: WARMUP_SECONDS },
      versions: {
        wrk: versionOf('wrk', ['--version'], /wrk \S+/),
        nginx: versionOf('nginx', ['-v'], /nginx\/\S+/),
        verdaccio: VERDACCIO_VERSION,
      },
    };
    const section = runSection({
      info,
      sizes,
      load: {
        ...downloads,
        'verdaccio-meta': verdaccio,
        'ours-meta': meta,
        'ours-search': search,
        'ours-meta-events': metaEvents,
        'ours-search-events': searchEvents,
      },
      events,
      rss,
    });
    console.log(`\n${section}`);
    const file = resultsFile(QUICK);
    insertRun(file, 'registry', section);
    log(`wrote ${path.relative(ROOT, file)}`);
    return 0;
  } catch (err) {
    console.error(`[bench] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    for (const s of services.reverse()) await s.stop();
    children.clear();
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
