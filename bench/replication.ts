// `npm run bench:replication` (part of `npm run bench`): replication's data paths, each beside a
// reference measured in the same run.
// 1. One package replicated to 3 local nodes at quorum (quorum-acknowledged and all-durable times)
//    vs `cp` of the same blob file to 3 folders + sync, on the same disk (target: all durable ≤ 1.2× cp).
// 2. Publish and download through a headless origin whose primary store is an S3 bucket on s3rver
//    (MB/s each way, the origin's peak RSS: target ≤ 250 MB) vs s3rver's own PUT/GET of the same file.
// --quick: 64 MiB, one round; results to bench/out/RESULTS-quick.md.
// BENCH_REPL_MIB=1024  BENCH_REPEAT=3  BENCH_REPL_PARTS=local|s3|local,s3 (default both)
import path from 'node:path';
import { fmt, logger } from './lib/format';
import { ensureTools } from './lib/required-tools';
import { replicationParts, runReplicationBench } from './lib/replication-bench';
import { replicationSection } from './lib/replication-results';
import { insertRun, isQuick, resultsFile } from './lib/results-file';

const ROOT = path.resolve(__dirname, '..');
const QUICK = isQuick();
const log = logger('bench:replication');

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<void> {
  const mib = positiveInt('BENCH_REPL_MIB', QUICK ? 64 : 1024);
  const repeats = positiveInt('BENCH_REPEAT', QUICK ? 1 : 3);
  const parts = replicationParts(process.env.BENCH_REPL_PARTS);
  const loadBefore = (await import('node:os')).loadavg()[0];
  if (loadBefore > 0.5) log(`warning: 1-min load average is ${fmt(loadBefore, 2)}; other work on the machine will skew the figures`);
  await ensureTools(log, ['curl']);
  const run = await runReplicationBench({ mib, repeats, quick: QUICK, log, parts });
  const section = replicationSection(run);
  console.log(`\n${section}`);
  const file = resultsFile(QUICK);
  insertRun(file, 'replication', section);
  log(`wrote ${path.relative(ROOT, file)}`);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  // process.exit runs the 'exit' handlers, which kill what the benchmark started.
  process.on(sig, () => process.exit(130));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench:replication] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
