// `npm run bench:replication` (part of `npm run bench`): replication's data paths, each beside a
// reference measured in the same run.
// 1. One package replicated to 3 local nodes at quorum (quorum-acknowledged and all-durable times)
//    vs `cp` of the same blob file to 3 folders + sync, on the same disk (target: all durable ≤ 1.2× cp).
// 2. Publish and download through a headless origin whose primary store is an S3 bucket on s3rver
//    (MB/s each way, the origin's peak RSS: target ≤ 250 MB) vs s3rver's own PUT/GET of the same file.
// --quick: 64 MiB, one round; results to bench/out/RESULTS-quick.md.
// BENCH_REPL_MIB=1024  BENCH_REPEAT=3  BENCH_REPL_PARTS=local (part 1 alone: printed, RESULTS not written)
import path from 'node:path';
import { fmt, logger } from './lib/format';
import { ensureTools } from './lib/required-tools';
import { runLocalReplicationBench, runReplicationBench } from './lib/replication-bench';
import { summarizeLocal } from './lib/replicate-local';
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
  const loadBefore = (await import('node:os')).loadavg()[0];
  if (loadBefore > 0.5) log(`warning: 1-min load average is ${fmt(loadBefore, 2)}; other work on the machine will skew the figures`);
  const parts = process.env.BENCH_REPL_PARTS ?? 'all';
  if (parts !== 'all' && parts !== 'local') throw new Error(`BENCH_REPL_PARTS must be all or local, got ${JSON.stringify(parts)}`);
  if (parts === 'local') {
    const local = await runLocalReplicationBench({ mib, repeats, quick: QUICK, log });
    const s = summarizeLocal(local.runs);
    console.log(
      `\npart 1, ${fmt(local.bytes / 2 ** 20, 0)} MiB × ${repeats}: quorum ${fmt(s.quorumSeconds, 2)} s, all durable ${fmt(s.allSeconds, 2)} s; ` +
        `cp sequential ${fmt(s.cpSequentialSeconds, 2)} s, parallel ${fmt(s.cpParallelSeconds, 2)} s; ratio ${fmt(s.ratio, 2)}× (quorum ${fmt(s.quorumRatio, 2)}×) vs cp ${s.reference}`,
    );
    return;
  }
  await ensureTools(log, ['curl']);
  const run = await runReplicationBench({ mib, repeats, quick: QUICK, log });
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
