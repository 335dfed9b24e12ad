// Renders one registry benchmark run (bench/run.ts) as a Markdown block for RESULTS.md.
import type { InsertedEvents } from './download-events';
import { fmt, MB, MiB, mem } from './format';
import type { RssReport } from './measure-rss';
import { median } from './stats';
import { goalText, judge, type Goal } from './targets';
import type { WrkResult } from './wrk';

export const TARGETS = {
  publishRatio: { atLeast: 0.7, unit: '×' },
  downloadMBps: { atLeast: 1000, unit: 'MB/s' },
  smallDownloadsVsNginx: { atLeast: 0.5, unit: '×' },
  apiVsVerdaccio: { atLeast: 1.0, unit: '×' },
  peakRssMB: { atMost: 250, unit: 'MB' },
} satisfies Record<string, Goal>;

/** Rates are bytes per second, one entry per repetition. */
export type SizeResult = {
  mib: number;
  packageBytes: number;
  digest: string;
  /** curl -T with a bearer token. */
  publish: number[];
  /** cat | tee | openssl dgst -sha256 on the same file, just before each publish. */
  reference: number[];
  /** curl GET of ours with a bearer token. */
  download: number[];
  /** curl GET of the same package file from nginx. */
  nginx: number[];
  /** node:http GET that only counts bytes. */
  nodeDownload: number[];
  /** One node:http GET that also checks the sha256. */
  hashedDownload: number;
};

export type LoadKey = 'nginx-1m' | 'ours-1m' | 'verdaccio-meta' | 'ours-meta' | 'ours-search' | 'ours-meta-events' | 'ours-search-events';

/** `aloneMs`: one GET of the same request on its own, just before the load. */
export type LoadRow = { request: string; server: string; aloneMs: number; result: WrkResult };

export type RunInfo = {
  date: string;
  quick: boolean;
  machine: string;
  loadBefore: number;
  serverStartSeconds: number;
  /** RSS of the server's process tree once healthy (bytes). */
  idleRss: { largestBytes: number; sumBytes: number; processes: number };
  repeats: number;
  wrk: { threads: number; connections: number; seconds: number; warmupSeconds: number };
  versions: { wrk: string; nginx: string; verdaccio: string };
};

export type RegistryRun = {
  info: RunInfo;
  sizes: SizeResult[];
  load: Record<LoadKey, LoadRow>;
  events: InsertedEvents;
  rss: RssReport;
};

const mbps = (bytesPerSecond: number) => `${fmt(bytesPerSecond / MB)} MB/s`;
const cell = (s: string) => s.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

/** "median MB/s (MiB/s; min–max over n)". */
function rates(xs: number[]): string {
  const m = median(xs);
  const range = xs.length > 1 ? `; ${fmt(Math.min(...xs) / MB)}–${fmt(Math.max(...xs) / MB)} over ${xs.length}` : '';
  return `${fmt(m / MB)} MB/s (${fmt(m / MiB)} MiB/s${range})`;
}

/** Our rows must answer every request with a 2xx: anything else is named beside the verdict. */
function problems(r: WrkResult): string[] {
  return [
    r.requests === 0 ? 'no request answered within the run' : '',
    r.non2xx > 0 ? `${fmt(r.non2xx)} non-2xx` : '',
    r.socketErrors > 0 ? `${fmt(r.socketErrors)} socket errors` : '',
  ].filter(Boolean);
}

type TargetRow = [target: string, measured: string, goal: string, result: string];

function targetRows(run: RegistryRun): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const s of run.sizes) {
    const ratio = median(s.publish.map((p, i) => p / s.reference[i]));
    rows.push([`publish ${s.mib} MiB (curl -T) / \`cat | tee | openssl\``, `${fmt(ratio, 2)}×`, goalText(TARGETS.publishRatio), judge(ratio, TARGETS.publishRatio).text]);
    const dl = median(s.download) / MB;
    rows.push([`download ${s.mib} MiB (curl, one stream)`, `${fmt(dl)} MB/s`, goalText(TARGETS.downloadMBps), judge(dl, TARGETS.downloadMBps).text]);
  }
  const vs = (key: LoadKey, ref: LoadKey, target: string, goal: Goal) => {
    const ours = run.load[key].result;
    const ratio = ours.reqPerSec / run.load[ref].result.reqPerSec;
    const measured = `${fmt(ratio, 2)}× (${fmt(ours.reqPerSec)} vs ${fmt(run.load[ref].result.reqPerSec)} req/s)`;
    rows.push([target, measured, `${goalText(goal)}, no non-2xx`, judge(ratio, goal, problems(ours)).text]);
  };
  const events = `${fmt(run.events.rows)} download events`;
  vs('ours-1m', 'nginx-1m', '1 MiB downloads at 64 connections, ours / nginx', TARGETS.smallDownloadsVsNginx);
  vs('ours-meta', 'verdaccio-meta', 'package metadata, ours / Verdaccio `GET /{pkg}`', TARGETS.apiVsVerdaccio);
  vs('ours-search', 'verdaccio-meta', 'search, ours / Verdaccio `GET /{pkg}`', TARGETS.apiVsVerdaccio);
  vs('ours-meta-events', 'verdaccio-meta', `package metadata with ${events}, ours / Verdaccio`, TARGETS.apiVsVerdaccio);
  vs('ours-search-events', 'verdaccio-meta', `search with ${events}, ours / Verdaccio`, TARGETS.apiVsVerdaccio);
  const peak = run.rss.hwmBytes / MB;
  rows.push(['origin peak RSS through the whole run (VmHWM at the end)', mem(run.rss.hwmBytes), goalText(TARGETS.peakRssMB), judge(peak, TARGETS.peakRssMB).text]);
  return rows;
}

function loadTable(run: RegistryRun): string[] {
  const ms = (n: number) => `${fmt(n, 1)} ms`;
  const out = ['| request | server | one GET alone | req/s | MB/s | non-2xx | socket errors | p50 | p99 |', '|---|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const { request, server, aloneMs, result: r } of Object.values(run.load)) {
    out.push(row([request, server, ms(aloneMs), fmt(r.reqPerSec), fmt(r.bytesPerSec / MB, 1), fmt(r.non2xx), fmt(r.socketErrors), ms(r.p50Ms), ms(r.p99Ms)]));
  }
  return out;
}

function sizeTable(s: SizeResult): string[] {
  const ratios = s.publish.map((p, i) => p / s.reference[i]);
  const ratioRange = ratios.length > 1 ? ` (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})` : '';
  const vsNginx = median(s.download) / median(s.nginx);
  return [
    `#### ${s.mib} MiB model (package ${fmt(s.packageBytes)} bytes, ${s.digest.slice(0, 19)}…)`,
    '',
    '| metric | value |',
    '|---|---|',
    row(['publish (curl -T PUT with a bearer token, streamed)', rates(s.publish)]),
    row(['reference `cat | tee | openssl dgst -sha256`', rates(s.reference)]),
    row(['publish / reference (median of paired runs)', `${fmt(median(ratios), 2)}×${ratioRange}`]),
    row(['download, ours (curl with a bearer token)', rates(s.download)]),
    row(['download, nginx serving the same file (curl)', rates(s.nginx)]),
    row(['download ours / nginx', `${fmt(vsNginx, 2)}×`]),
    row(['download, ours (node:http GET, count only)', rates(s.nodeDownload)]),
    row(['download, ours (node:http GET + sha256 check)', rates([s.hashedDownload])]),
    '',
  ];
}

export function runSection(run: RegistryRun): string {
  const { info, rss } = run;
  const w = info.wrk;
  return [
    `### Run ${info.date}${info.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${info.machine}. 1-min load average before the run: ${fmt(info.loadBefore, 2)}${info.loadBefore > 0.5 ? ' (machine not idle: figures are skewed)' : ''}.`,
    `Server start (incl. build if stale): ${fmt(info.serverStartSeconds, 1)} s; idle RSS once healthy: ${mem(info.idleRss.largestBytes)} ` +
      `(largest of ${info.idleRss.processes} process${info.idleRss.processes === 1 ? '' : 'es'}, sum ${mem(info.idleRss.sumBytes)}). ` +
      `Publish/download repetitions per size: ${info.repeats} (medians shown).`,
    `Load: \`wrk -t${w.threads} -c${w.connections} -d${w.seconds}s\` per row after a ${w.warmupSeconds} s warm-up (none after the insert) and with the origin idle; our requests carry an ` +
      `admin bearer token, as a CI client's do. ${info.versions.wrk}, ${info.versions.nginx}, Verdaccio ${info.versions.verdaccio}. ` +
      `Download events inserted before the last two rows: ${fmt(run.events.rows)} (${fmt(run.events.fullDownloads)} full downloads), ` +
      `with their rollups, through the metrics store's writer in ${fmt(run.events.seconds, 1)} s.`,
    '',
    '#### Targets',
    '',
    '| target | measured | goal | result |',
    '|---|---|---|---|',
    ...targetRows(run).map(row),
    '',
    `#### Requests under load (\`wrk -t${w.threads} -c${w.connections} -d${w.seconds}s\`)`,
    '',
    ...loadTable(run),
    '',
    ...run.sizes.flatMap(sizeTable),
    '#### Origin RSS by phase (VmRSS of the largest process, sampled every 100 ms)',
    '',
    '| phase | peak |',
    '|---|---|',
    ...rss.phases.map((p) => row([p.phase, mem(p.peakBytes)])),
    row(['whole run, sampled (largest process / sum of the tree)', `${mem(rss.maxProcessBytes)} / ${mem(rss.maxSumBytes)}`]),
    row(['whole run, kernel VmHWM of the largest process at the end', mem(rss.hwmBytes)]),
    row(['samples / processes seen', `${fmt(rss.samples)} / ${rss.processes}`]),
    '',
  ].join('\n');
}
