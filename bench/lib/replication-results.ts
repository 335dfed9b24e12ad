// Renders one replication benchmark run (bench/replication.ts) as a Markdown block for RESULTS.md.
import { fmt, MB, MiB, mem } from './format';
import { NODE_COUNT, QUORUM, summarizeLocal, type LocalResult } from './replicate-local';
import type { S3Result } from './s3-primary';
import { median } from './stats';
import { goalText, judge, type Goal } from './targets';

export const REPLICATION_TARGETS = {
  replicateVsCp: { atMost: 1.2, unit: '×' },
  originPeakRssMB: { atMost: 250, unit: 'MB' },
} satisfies Record<string, Goal>;

export type ReplicationRun = {
  date: string;
  quick: boolean;
  machine: string;
  loadBefore: number;
  repeats: number;
  /** Absent when BENCH_REPL_PARTS left the part out. */
  local?: LocalResult;
  s3?: S3Result;
};

const s = (x: number) => `${fmt(x, 2)} s`;
const all = (xs: number[], f: (x: number) => string) => (xs.length > 1 ? ` (${xs.map(f).join(', ')})` : '');
const rate = (xs: number[]) => `${fmt(median(xs) / MB)} MB/s${all(xs, (x) => fmt(x / MB))}`;

function localLines(local: LocalResult): { target: string; lines: string[] } {
  const sum = summarizeLocal(local.runs);
  const runsOf = (k: keyof (typeof local.runs)[number]) => local.runs.map((r) => r[k]);
  const verdict = judge(sum.ratio, REPLICATION_TARGETS.replicateVsCp);
  const size = `${fmt(local.bytes / MiB)} MiB`;
  return {
    target:
      `| replicate ${size} to ${NODE_COUNT} local nodes, all durable / \`cp\` to ${NODE_COUNT} folders + sync (${sum.reference}) | ${fmt(sum.ratio, 2)}× (${s(sum.allSeconds)} vs ${s(sum.referenceSeconds)}) | ${goalText(REPLICATION_TARGETS.replicateVsCp)} | ${verdict.text} |`,
    lines: [
    '',
    `#### Replication of ${size} (package ${fmt(local.bytes)} bytes) to ${NODE_COUNT} local nodes at quorum, same disk`,
    '',
    `Replication (the publish path): ${local.path}. Quorum = ${QUORUM} of ${NODE_COUNT}. ` +
      `\`cp\`: the primary's blob file into ${NODE_COUNT} folders, then \`sync\` of the copies and folders (fsync of each, as the nodes' store fsyncs before its rename). ` +
      `Disks synced and node / cp folders emptied before each timing; the source file is in the page cache for every contender.`,
    '',
    '| what | seconds | vs cp (faster variant) |',
    '|---|---:|---:|',
    `| quorum acknowledged (${QUORUM} of ${NODE_COUNT} durable, digest-verified) | ${s(sum.quorumSeconds)}${all(runsOf('quorumSeconds'), (x) => fmt(x, 2))} | ${fmt(sum.quorumRatio, 2)}× |`,
    `| all ${NODE_COUNT} durable | ${s(sum.allSeconds)}${all(runsOf('allSeconds'), (x) => fmt(x, 2))} | ${fmt(sum.ratio, 2)}× |`,
    `| \`cp\` × ${NODE_COUNT}, one after another, + sync | ${s(sum.cpSequentialSeconds)}${all(runsOf('cpSequentialSeconds'), (x) => fmt(x, 2))} | ${fmt(sum.cpSequentialSeconds / sum.referenceSeconds, 2)}× |`,
    `| \`cp\` × ${NODE_COUNT} at once, + sync | ${s(sum.cpParallelSeconds)}${all(runsOf('cpParallelSeconds'), (x) => fmt(x, 2))} | ${fmt(sum.cpParallelSeconds / sum.referenceSeconds, 2)}× |`,
    '',
    `All ${NODE_COUNT} durable: ${fmt((NODE_COUNT * local.bytes) / MB / sum.allSeconds)} MB/s written in all; cp (${sum.reference}): ${fmt((NODE_COUNT * local.bytes) / MB / sum.referenceSeconds)} MB/s. ` +
      `Bytes the apply jobs sent again after the quorum (a job that starts while the publish's own write to its node is still running sends the blob a second time): ${runsOf('resentBytes').map((b) => fmt(b)).join(', ')}.`,
    '',
    ],
  };
}

function s3Lines(s3: S3Result): { target: string; lines: string[] } {
  const peakMB = s3.rss.hwmBytes / MB;
  const rssVerdict = judge(peakMB, REPLICATION_TARGETS.originPeakRssMB);
  const pubVsPut = median(s3.publish) / median(s3.s3Put);
  const dlVsGet = median(s3.download) / median(s3.s3Get);
  return {
    target:
      `| origin peak RSS, primary store on s3rver, publish + download of ${fmt(s3.bytes / MiB)} MiB (VmHWM at the end) | ${mem(s3.rss.hwmBytes)} | ${goalText(REPLICATION_TARGETS.originPeakRssMB)} | ${rssVerdict.text} |`,
    lines: [
    `#### Primary store on s3rver: publish and download of ${fmt(s3.bytes / MiB)} MiB (package ${fmt(s3.bytes)} bytes)`,
    '',
    'A headless origin (`torsh serve --role origin`, `TORSH_STORAGE=s3://…`) on loopback with s3rver; curl as the client (`curl -T` with a bearer token; download body to /dev/null). ' +
      'References, with the origin idle: curl PUT / GET of the same package file straight to s3rver (SigV4, unsigned payload: one request each way), and the origin\'s S3 blob store ' +
      'driven from the benchmark\'s process (the storage half of a publish and a download, without HTTP, package validation or metering).',
    '',
    '| what | MB/s | vs s3rver alone |',
    '|---|---:|---:|',
    `| publish through the origin | ${rate(s3.publish)} | ${fmt(pubVsPut, 2)}× |`,
    `| s3rver PUT of the same file | ${rate(s3.s3Put)} | |`,
    `| download through the origin | ${rate(s3.download)} | ${fmt(dlVsGet, 2)}× |`,
    `| s3rver GET of the same object | ${rate(s3.s3Get)} | |`,
    `| the origin's S3 blob store alone, put (stage to a temp file while hashing, multipart upload with the store's default part size and queue) | ${rate(s3.storePut)} | ${fmt(median(s3.storePut) / median(s3.s3Put), 2)}× |`,
    `| the origin's S3 blob store alone, get (GetObject stream, bytes counted) | ${rate(s3.storeGet)} | ${fmt(median(s3.storeGet) / median(s3.s3Get), 2)}× |`,
    '',
    '| origin RSS (VmRSS of the largest process, sampled every 100 ms) | peak |',
    '|---|---|',
    ...s3.rss.phases.map((p) => `| ${p.phase} | ${mem(p.peakBytes)} |`),
    `| whole run, kernel VmHWM of the largest process at the end | ${mem(s3.rss.hwmBytes)} |`,
    '',

    ],
  };
}

export function replicationSection(run: ReplicationRun): string {
  const parts = [run.local && localLines(run.local), run.s3 && s3Lines(run.s3)].filter((x) => x !== undefined);
  return [
    `### Run ${run.date}${run.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${run.machine}. 1-min load average before the run: ${fmt(run.loadBefore, 2)}${run.loadBefore > 0.5 ? ' (machine not idle: figures are skewed)' : ''}. ` +
      `${run.repeats} round${run.repeats === 1 ? '' : 's'} per row, contenders interleaved, median shown (each round's figure in brackets).`,
    '',
    '#### Targets',
    '',
    '| target | measured | goal | result |',
    '|---|---|---|---|',
    ...parts.map((p) => p.target),
    ...parts.flatMap((p) => p.lines),
  ].join('\n');
}
