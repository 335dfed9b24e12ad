// `npm run bench:registry` (part of `npm run bench`): publish/download of large packages, then
// requests under load (wrk) beside nginx and Verdaccio, with the origin's peak RSS over the whole run.
// --quick: one 64 MiB size, one repetition, 5 s of load per row; results to bench/out/RESULTS-quick.md.
// BENCH_SIZES=256,1024 (MiB)  BENCH_REPEAT=3  BENCH_WRK_SECONDS=30  BENCH_EVENTS=1000000
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminToken, BENCH_ADMIN_PASSWORD } from './lib/admin-token';
import { fail, versionUrl, type BenchContext } from './lib/bench-context';
import { insertDownloadEvents } from './lib/download-events';
import { fmt, logger } from './lib/format';
import { benchSize } from './lib/large-packages';
import { apiLoad, settle, smallDownloads, verdaccioLoad } from './lib/load-rows';
import { makeModelFile, makePackage } from './lib/make-package';
import { RssSampler, rssNow } from './lib/measure-rss';
import { startNginx } from './lib/nginx';
import { curlPublish } from './lib/reference';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { killGroup, type Service } from './lib/service';
import { startServer } from './lib/start-server';
import { ensureVerdaccio, VERDACCIO_VERSION } from './lib/verdaccio';
import { runSection, type RunInfo, type SizeResult } from './lib/write-results';
import { writeWrkScript } from './lib/wrk';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench');

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
    const ctx: BenchContext = {
      baseUrl: server.baseUrl,
      token,
      nginx,
      pkgDir,
      originPid: server.pid,
      wrkScript: writeWrkScript(tmp),
      repeats: REPEATS,
      wrkSeconds: WRK_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      log,
    };

    const sizes: SizeResult[] = [];
    for (const mib of SIZES) {
      sampler.phase(`${mib} MiB publish and download`);
      sizes.push(await benchSize(ctx, mib));
    }

    sampler.phase('1 MiB downloads under load');
    const smallModel = await makeModelFile(pkgDir, 1);
    const small = await makePackage(pkgDir, 1, '1.0.0', smallModel);
    const pub = await curlPublish(versionUrl(server.baseUrl, small), small.file, token);
    if (pub.status !== 201) fail(`publish of ${small.name}@${small.version} answered ${pub.status}: ${pub.body.slice(0, 500)}`);
    const downloads = await smallDownloads(ctx, small);

    sampler.phase('Verdaccio under load (origin idle)');
    const verdaccio = await verdaccioLoad(ctx, tmp, track('verdaccio'));

    sampler.phase('metadata and search under load');
    const [meta, search] = await apiLoad(ctx, small.name, '', true);

    await settle(ctx, 'the search row');
    sampler.phase(`inserting ${fmt(EVENTS)} download events`);
    const events = insertDownloadEvents(path.join(dataDir, 'torsh.db'), EVENTS);
    log(`${fmt(events.rows)} download events inserted in ${events.seconds.toFixed(1)} s`);
    sampler.phase(`metadata and search under load, ${fmt(EVENTS)} download events`);
    const [metaEvents, searchEvents] = await apiLoad(ctx, small.name, `, ${fmt(EVENTS)} events`, false);
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
