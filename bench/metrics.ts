// `npm run bench:metrics` (part of `npm run bench`): the dashboards' read APIs over a metrics store
// seeded with 10 thousand and with 10 million download events (p95 latency of each; target: the
// 10M figure within 2× of the 10k one), and what recording events costs the download path while
// downloads run under load (target: < 5 % of its time).
// --quick: 10k and 300k events, 5 s of load; results to bench/out/RESULTS-quick.md.
// BENCH_METRIC_EVENTS=10000,10000000  BENCH_WRK_SECONDS=20  BENCH_SAMPLES=100
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminToken, BENCH_ADMIN_PASSWORD } from './lib/admin-token';
import { fail, versionUrl } from './lib/bench-context';
import { insertDownloadEvents } from './lib/download-events';
import { fmt, logger, machineLine } from './lib/format';
import { promValues } from './lib/prom-values';
import { curlPublish } from './lib/reference';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { killGroup } from './lib/service';
import { makeSmallPackage } from './lib/small-package';
import { startServer, type Server } from './lib/start-server';
import { runWrk, writeWrkScript, type WrkResult } from './lib/wrk';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench:metrics');
const DAY = 86_400_000;
const ints = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((s) => Number(s.trim()));
const SIZES = ints('BENCH_METRIC_EVENTS', QUICK ? '10000,300000' : '10000,10000000');
const [WRK_SECONDS] = ints('BENCH_WRK_SECONDS', QUICK ? '5' : '20');
const [SAMPLES] = ints('BENCH_SAMPLES', QUICK ? '30' : '100');
const PACKAGES = 20;
const VERSIONS = 3;
const SEEDED_DAYS = 30;

type ApiTiming = { name: string; p50: number; p95: number; bytes: number };
type SizeRun = { events: number; seedSeconds: number; apis: ApiTiming[] };
type IngestRun = { wrk: WrkResult; eventsPerSec: number; writeShare: number; recordShare: number; events: number };

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(p * s.length)) - 1];
}

/** The dashboards' read APIs, as the pages call them. */
function dashboardApis(now: number): { name: string; path: string }[] {
  const range = (ms: number) => `from=${now - ms}&to=${now}`;
  return [
    { name: 'overview, 24 h', path: `/api/v1/metrics/overview?${range(DAY)}` },
    { name: 'overview, 30 d', path: `/api/v1/metrics/overview?${range(30 * DAY)}` },
    { name: 'downloads series, 7 d', path: `/api/v1/metrics/series?series=download&${range(7 * DAY)}` },
    { name: 'one package series, 30 d', path: `/api/v1/metrics/series?series=download&dim=p:1&${range(30 * DAY)}` },
    { name: 'package downloads by version, 30 d', path: `/api/v1/packages/metrics-bench-0/downloads?${range(30 * DAY)}` },
    { name: 'analytics report, 30 d (JSON)', path: `/api/v1/metrics/report?${range(30 * DAY)}` },
    { name: 'analytics report, 30 d (CSV)', path: `/api/v1/metrics/report?${range(30 * DAY)}&format=csv` },
  ];
}

async function timeApi(baseUrl: string, token: string, api: { name: string; path: string }): Promise<ApiTiming> {
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(baseUrl + api.path, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) fail(`${api.path} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
    return { ms: performance.now() - t0, bytes: body.byteLength };
  };
  for (let i = 0; i < 5; i++) await get();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const r = await get();
    times.push(r.ms);
    bytes = r.bytes;
  }
  return { name: api.name, p50: percentile(times, 0.5), p95: percentile(times, 0.95), bytes };
}

async function start(dataDir: string, tmp: string, label: string, pids: Set<number>): Promise<{ server: Server; token: string }> {
  const server = await startServer({
    root: ROOT,
    dataDir,
    logFile: path.join(tmp, `server-${label}.log`),
    onSpawn: (pid) => pids.add(pid),
    env: { TORSH_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD },
  });
  return { server, token: await adminToken(server.baseUrl, `bench-metrics-${label}`) };
}

async function benchSize(events: number, tmp: string, pids: Set<number>, ingest: boolean): Promise<{ run: SizeRun; ingest: IngestRun | null }> {
  const dir = path.join(tmp, `events-${events}`);
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  let { server, token } = await start(dataDir, dir, 'publish', pids);
  for (let p = 0; p < PACKAGES; p++) {
    for (let v = 1; v <= VERSIONS; v++) {
      const pkg = await makeSmallPackage(dir, `metrics-bench-${p}`, `${v}.0.0`);
      const r = await curlPublish(versionUrl(server.baseUrl, pkg), pkg.file, token);
      if (r.status !== 201) fail(`publish ${pkg.name}@${pkg.version} answered ${r.status}: ${r.body}`);
    }
  }
  // The store is seeded with the origin stopped (one writer at a time), then the origin restarts on it.
  await server.stop();
  log(`seeding ${fmt(events)} download events over ${SEEDED_DAYS} days…`);
  const seeded = insertDownloadEvents(path.join(dataDir, 'torsh.db'), events, Date.now(), SEEDED_DAYS);
  log(`seeded in ${seeded.seconds.toFixed(1)} s (${fmt(events / seeded.seconds)} events/s through the registry's writer)`);
  ({ server, token } = await start(dataDir, dir, 'read', pids));
  try {
    const now = Date.now();
    const apis: ApiTiming[] = [];
    for (const api of dashboardApis(now)) {
      apis.push(await timeApi(server.baseUrl, token, api));
      log(`${fmt(events)} events · ${api.name}: p50 ${apis.at(-1)!.p50.toFixed(1)} ms, p95 ${apis.at(-1)!.p95.toFixed(1)} ms`);
    }
    const ing = ingest ? await measureIngest(server, token, dir) : null;
    return { run: { events, seedSeconds: seeded.seconds, apis }, ingest: ing };
  } finally {
    await server.stop();
  }
}

/** Downloads under load (wrk, 16 connections) and the share of the origin's time spent recording their events. */
async function measureIngest(server: Server, token: string, dir: string): Promise<IngestRun> {
  const pkg = await makeSmallPackage(dir, 'ingest-probe', '1.0.0', 64 * 1024);
  const r = await curlPublish(versionUrl(server.baseUrl, pkg), pkg.file, token);
  if (r.status !== 201) fail(`publish ingest-probe answered ${r.status}`);
  const names = ['torsh_metrics_events_written', 'torsh_metrics_write_seconds', 'torsh_metrics_record_seconds'];
  const url = `${server.baseUrl}/api/v1/packages/ingest-probe/1.0.0/download`;
  await runWrk(url, writeWrkScript(dir), { seconds: 2, connections: 16 });
  const before = await promValues(server.baseUrl, token, names);
  const wrk = await runWrk(url, writeWrkScript(dir), { seconds: WRK_SECONDS, connections: 16 });
  await new Promise((res) => setTimeout(res, 500)); // the last batch is written within 250 ms
  const after = await promValues(server.baseUrl, token, names);
  const events = after.torsh_metrics_events_written - before.torsh_metrics_events_written;
  const run = {
    wrk,
    events,
    eventsPerSec: events / wrk.seconds,
    writeShare: (after.torsh_metrics_write_seconds - before.torsh_metrics_write_seconds) / wrk.seconds,
    recordShare: (after.torsh_metrics_record_seconds - before.torsh_metrics_record_seconds) / wrk.seconds,
  };
  log(
    `ingest: ${fmt(wrk.reqPerSec)} downloads/s, ${fmt(run.eventsPerSec)} events/s written; ` +
      `writing ${(run.writeShare * 100).toFixed(2)} %, queueing ${(run.recordShare * 100).toFixed(2)} % of the origin's time`,
  );
  return run;
}

function report(machine: string, sizes: SizeRun[], ingest: IngestRun): string {
  const [small, large] = sizes;
  const lines = [
    `### Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (quick)' : ''}`,
    '',
    `Machine: ${machine}. ${PACKAGES} packages × ${VERSIONS} versions; download events seeded over ${SEEDED_DAYS} days through the registry's own writer (raw rows plus minute, hour, day and all-time rollups); ${SAMPLES} sequential requests per API after 5 warm-ups, with an admin token.`,
    '',
    `| dashboard API | p50 ${fmt(small.events)} events | p95 ${fmt(small.events)} | p50 ${fmt(large.events)} events | p95 ${fmt(large.events)} | p95 ratio (target ≤ 2) | |`,
    '|---|---:|---:|---:|---:|---:|---|',
    ...small.apis.map((a, i) => {
      const b = large.apis[i];
      const ratio = b.p95 / a.p95;
      return `| ${a.name} | ${a.p50.toFixed(1)} ms | ${a.p95.toFixed(1)} ms | ${b.p50.toFixed(1)} ms | ${b.p95.toFixed(1)} ms | ${ratio.toFixed(2)}× | ${ratio <= 2 ? 'PASS' : 'MISS'} |`;
    }),
    '',
    `Seeding: ${fmt(small.events)} events in ${small.seedSeconds.toFixed(1)} s; ${fmt(large.events)} in ${large.seedSeconds.toFixed(1)} s (${fmt(large.events / large.seedSeconds)} events/s).`,
    '',
    `| ingest while downloads run (64 KiB package, wrk -c16, ${WRK_SECONDS} s) | figure | target | |`,
    '|---|---:|---:|---|',
    `| downloads/s | ${fmt(ingest.wrk.reqPerSec)} | | |`,
    `| metric events written/s (a download and its API request: 2 events each) | ${fmt(ingest.eventsPerSec)} | | |`,
    `| origin time in metric write transactions | ${(ingest.writeShare * 100).toFixed(2)} % | | |`,
    `| origin time queueing events (Prometheus counters included) | ${(ingest.recordShare * 100).toFixed(2)} % | | |`,
    `| recording's share of the download path | ${((ingest.writeShare + ingest.recordShare) * 100).toFixed(2)} % | < 5 % | ${ingest.writeShare + ingest.recordShare < 0.05 ? 'PASS' : 'MISS'} |`,
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  await ensureTools(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-metrics-'));
  const pids = new Set<number>();
  const killAll = () => pids.forEach((pid) => killGroup(pid, 'SIGKILL'));
  process.on('exit', killAll);
  try {
    const sizes: SizeRun[] = [];
    let ingest: IngestRun | null = null;
    for (const [i, events] of SIZES.entries()) {
      const r = await benchSize(events, tmp, pids, i === 0);
      sizes.push(r.run);
      ingest ??= r.ingest;
    }
    const machine = machineLine();
    const text = report(machine, sizes, ingest!);
    insertRun(resultsFile(QUICK), 'metrics', text);
    console.log(`\n${text}\n`);
    return 0;
  } finally {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
