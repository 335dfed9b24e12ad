// Formats results as tables and keeps bench/RESULTS.md (newest run first, earlier runs and Notes kept).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { RssPeaks } from './measure-rss';

export const TARGETS = { ratio: 0.7, downloadMBps: 1000, rssMB: 250 };

/** Rates are bytes per second, one entry per repetition. */
export type SizeResult = {
  mib: number;
  name: string;
  packageBytes: number;
  digest: string;
  publish: number[];
  reference: number[];
  download: number[];
  hashedDownload: number;
  curl: number[] | null;
  rss: RssPeaks;
};

export type RunInfo = {
  date: string;
  cpu: string;
  cores: number;
  ramBytes: number;
  node: string;
  kernel: string;
  serverStartSeconds: number;
  repeats: number;
  /** 1-minute load average before the run (other work on the machine skews every figure). */
  loadBefore: number;
  /** RSS of the server's process tree once healthy, before any publish (bytes). */
  idleRss: { largestBytes: number; sumBytes: number; processes: number };
};

const MB = 1e6;
const MiB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rate = (bytes: number, seconds: number) => `${fmt(bytes / seconds / MB)} MB/s (${fmt(bytes / seconds / MiB)} MiB/s)`;
const mem = (bytes: number) => `${fmt(bytes / MB)} MB (${fmt(bytes / MiB)} MiB)`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

type Row = [metric: string, value: string, target: string, result: string];

export function median(xs: number[]): number {
  const v = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** "median MB/s (MiB/s)" plus the range over repetitions when there are several. */
function rates(xs: number[]): string {
  const m = median(xs);
  const range = xs.length > 1 ? `; ${fmt(Math.min(...xs) / MB)}–${fmt(Math.max(...xs) / MB)} over ${xs.length}` : '';
  return `${fmt(m / MB)} MB/s (${fmt(m / MiB)} MiB/s${range})`;
}

export function rowsFor(r: SizeResult): Row[] {
  const ratios = r.publish.map((p, i) => p / r.reference[i]);
  const ratio = median(ratios);
  const ratioRange = ratios.length > 1 ? ` (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})` : '';
  const rssOk = (b: number) => b / MB <= TARGETS.rssMB;
  const dlRow = (metric: string, xs: number[]): Row => [
    metric,
    rates(xs),
    `≥ ${fmt(TARGETS.downloadMBps)} MB/s`,
    verdict(median(xs) / MB >= TARGETS.downloadMBps),
  ];
  return [
    [`publish (${r.curl ? 'curl -T' : 'node:http'} PUT, streamed)`, rates(r.publish), '', ''],
    ['reference `cat | tee | openssl dgst -sha256`', rates(r.reference), '', ''],
    ['publish / reference (median of paired runs)', `${fmt(ratio, 2)}${ratioRange}`, `≥ ${TARGETS.ratio}`, verdict(ratio >= TARGETS.ratio)],
    dlRow('download (node:http GET, count only)', r.download),
    r.curl === null ? ['download (curl)', 'curl not found', `≥ ${fmt(TARGETS.downloadMBps)} MB/s`, '—'] : dlRow('download (curl)', r.curl),
    ['download (node:http GET + sha256 check, info)', rates([r.hashedDownload]), '', ''],
    ['server peak RSS, largest process (sampled)', mem(r.rss.maxProcessBytes), `≤ ${TARGETS.rssMB} MB`, verdict(rssOk(r.rss.maxProcessBytes))],
    ['server peak RSS, sum of process tree (sampled)', mem(r.rss.maxSumBytes), `≤ ${TARGETS.rssMB} MB`, verdict(rssOk(r.rss.maxSumBytes))],
    [
      `server VmHWM, largest process (${r.rss.hwmReset ? 'reset at phase start' : 'since server start'})`,
      mem(r.rss.hwmBytes),
      `≤ ${TARGETS.rssMB} MB`,
      verdict(rssOk(r.rss.hwmBytes)),
    ],
  ];
}

function sizeTitle(r: SizeResult): string {
  return `${r.mib} MiB model (package ${fmt(r.packageBytes)} bytes, ${r.digest.slice(0, 19)}…)`;
}

export function consoleTable(results: SizeResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    const rows = rowsFor(r);
    const head: Row = ['metric', 'value', 'target', 'result'];
    const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i].length)));
    const line = (row: Row) => row.map((c, i) => c.padEnd(widths[i])).join('  ');
    out.push('', `== ${sizeTitle(r)}`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
  }
  return out.join('\n');
}

function machineLine(info: RunInfo): string {
  return `${info.cpu}, ${info.cores} cores, ${fmt(info.ramBytes / 1024 ** 3, 1)} GiB RAM, Node ${info.node}, Linux ${info.kernel}`;
}

export function runSection(info: RunInfo, results: SizeResult[]): string {
  const out = [`## Run ${info.date}`, '', `Machine: ${machineLine(info)}.`, `Server start (incl. build if stale): ${fmt(info.serverStartSeconds, 1)} s. Repetitions per size: ${info.repeats} (medians shown).`,
    `1-min load average before the run: ${fmt(info.loadBefore, 2)}${info.loadBefore > 0.5 ? ' (machine not idle: figures are skewed)' : ''}.`,
    `Idle server RSS before the first publish: largest process ${mem(info.idleRss.largestBytes)}, ` +
      `sum ${mem(info.idleRss.sumBytes)} over ${info.idleRss.processes} processes.`,
    '',
  ];
  for (const r of results) {
    out.push(`### ${sizeTitle(r)}`, '', '| metric | value | target | result |', '|---|---|---|---|');
    for (const row of rowsFor(r)) out.push(`| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    out.push(`| RSS samples / processes seen | ${r.rss.samples} / ${r.rss.processes} | | |`, '');
  }
  return out.join('\n');
}

const HEADER = `# Benchmark results

Run with \`npm run bench\`; \`BENCH_SIZES=16,64 npm run bench\` for a quick run (model sizes in MiB,
default \`256,1024\`), \`BENCH_REPEAT=n\` for n repetitions per size (default 3; medians are shown
with the range). The harness (\`bench/run.ts\`) starts the real server with \`node bin/start.mjs\` on a
free port with a fresh \`TORSH_DATA_DIR\` in a temp dir, writes a random model file per size and, per
repetition, a package (that file stored uncompressed as \`models/model.bin\`, plus a tiny config;
version \`1.0.<rep>\`), then measures:

- **publish**: wall time of a streaming PUT of the package (201 expected) → MB/s, sent with
  \`curl -T\` when curl is installed (else a \`node:http\` client; on 2 cores a JS client's own CPU
  use shows in the figure)
  (MB = 10⁶ bytes; MiB/s also shown);
- **reference**: \`cat FILE | tee COPY | openssl dgst -sha256\` on the same file just before the
  publish — the work a publish must do (write to disk + sha256); target publish/reference ≥ 0.7;
- **download**: a \`node:http\` GET that only counts bytes (timed; one extra hashed GET checks the
  sha256 against the publish digest), plus \`curl\`'s \`speed_download\`; target ≥ 1000 MB/s on loopback;
- **server peak RSS**: VmRSS of every process in the server's tree (the \`bin/start.mjs\` wrapper and
  \`next start\`) sampled every 100 ms during the size's phase — largest process and sum — plus the
  kernel's VmHWM (reset at phase start via \`/proc/<pid>/clear_refs\`); target ≤ 250 MB.

Targets are reported as PASS/MISS; the benchmark fails only if a publish or download fails or a
digest mismatches. Newest run first.
`;

const NOTES_PLACEHOLDER = `## Notes

_(To be filled in: explanations of the figures.)_
`;

export function updateResultsFile(file: string, section: string): void {
  let notes = NOTES_PLACEHOLDER;
  let runs = '';
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const runAt = text.search(/^## Run /m);
    const notesAt = text.search(/^## Notes\s*$/m);
    if (notesAt >= 0) notes = text.slice(notesAt, runAt > notesAt ? runAt : undefined).trimEnd() + '\n';
    if (runAt >= 0) runs = text.slice(runAt, notesAt > runAt ? notesAt : undefined).trimEnd() + '\n';
  }
  writeFileSync(file, [HEADER, notes, section.trimEnd() + '\n', runs].filter((s) => s !== '').join('\n'));
}
