// Replication of one package to three local nodes at quorum, beside `cp` of the same file to three
// folders, in the same run and on the same disk (bench/replication.ts, part 1).
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { and, desc, eq, gte } from 'drizzle-orm';
import { jobs, replicas } from '../../db/schema';
import { createEngine, type Engine } from '../../lib/engine/engine';
import { startWorker } from '../../lib/engine/jobs/worker';
import { addNode } from '../../lib/engine/replication/manage-nodes';
import { nodeRows, storageFor } from '../../lib/engine/replication/node-registry';
import { insertReplicas } from '../../lib/engine/replication/replica-rows';
import { replicateOnPublish } from '../../lib/engine/replication/replicate-on-publish';
import { REPLICATION_JOB_HANDLERS } from '../../lib/engine/replication/replication-jobs';
import { REPLICATION_JOBS } from '../../lib/engine/replication/types';
import { updateReplicationConfig } from '../../lib/engine/replication/update-config';
import type { ReplicaTarget } from '../../lib/engine/replication/write-replica';
import type { BenchPackage } from './make-package';
import { runChecked, syncDisks } from './run-command';
import { median } from './stats';

export const NODE_COUNT = 3;
/** Copies that acknowledge a quorum publish: a majority of the factor. */
export const QUORUM = Math.floor(NODE_COUNT / 2) + 1;

/** Seconds for one repetition of each contender. */
export type LocalRun = {
  /** Start → a majority of the nodes hold a durable, digest-verified copy (what a quorum publish waits for). */
  quorumSeconds: number;
  /** Start → every node holds one and every replica row is present (the apply jobs have run). */
  allSeconds: number;
  /** Bytes the apply jobs sent (0 when the writes the publish started had finished before their jobs ran). */
  resentBytes: number;
  /** `cp` to the three folders one after another, then `sync` of the three copies. */
  cpSequentialSeconds: number;
  /** The three `cp` at once, then `sync` of the three copies. */
  cpParallelSeconds: number;
};

export type LocalResult = {
  bytes: number;
  /** What the replication side ran (the code path), for the notes. */
  path: string;
  runs: LocalRun[];
};

export type LocalSummary = {
  quorumSeconds: number;
  allSeconds: number;
  cpSequentialSeconds: number;
  cpParallelSeconds: number;
  /** The cp variant the ratios use: the faster of the two (the stricter reference). */
  reference: 'sequential' | 'parallel';
  referenceSeconds: number;
  /** all-durable / reference, the figure with the target (three complete copies each side). */
  ratio: number;
  quorumRatio: number;
};

/** Medians over the runs and the ratios against the faster cp variant. */
export function summarizeLocal(runs: LocalRun[]): LocalSummary {
  const m = (k: Exclude<keyof LocalRun, 'resentBytes'>) => median(runs.map((r) => r[k]));
  const cpSequentialSeconds = m('cpSequentialSeconds');
  const cpParallelSeconds = m('cpParallelSeconds');
  const reference = cpParallelSeconds <= cpSequentialSeconds ? 'parallel' : 'sequential';
  const referenceSeconds = Math.min(cpSequentialSeconds, cpParallelSeconds);
  const allSeconds = m('allSeconds');
  const quorumSeconds = m('quorumSeconds');
  return {
    quorumSeconds,
    allSeconds,
    cpSequentialSeconds,
    cpParallelSeconds,
    reference,
    referenceSeconds,
    ratio: allSeconds / referenceSeconds,
    quorumRatio: quorumSeconds / referenceSeconds,
  };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * cp of `file` into each folder (one after another, or all at once), then `sync FILE…` of the
 * copies and their folders: fsync of each, as the replication's local store does before a rename.
 */
async function cpToFolders(file: string, dirs: string[], parallel: boolean): Promise<number> {
  const copies = dirs.map((d) => path.join(d, path.basename(file)));
  const cps = dirs.map((d) => `cp ${shellQuote(file)} ${shellQuote(d)}/`);
  const script = `set -e; ${parallel ? `${cps.map((c) => `${c} &`).join(' ')} wait` : cps.join(' && ')}; sync ${[...copies, ...dirs].map(shellQuote).join(' ')}`;
  const r = await runChecked('bash', ['-c', script]);
  for (const c of copies) rmSync(c);
  return r.seconds;
}

/** Removes everything under `dir` but a blob store's temp folder (the store made it once and keeps using it). */
function emptyDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name === 'blobs') {
      for (const b of readdirSync(p)) if (b !== '.tmp') rmSync(path.join(p, b), { recursive: true, force: true });
    } else rmSync(p, { recursive: true, force: true });
  }
}

type Replicator = {
  engine: Engine;
  nodeDirs: string[];
  /** The primary store's blob file (what cp copies). */
  blobFile: string;
  /** One round: a fresh version replicated as a quorum publish does, timed to the quorum and to all durable. */
  replicate(): Promise<{ quorumSeconds: number; allSeconds: number; resentBytes: number }>;
  /** Throws unless every node holds the blob (right size) and a ref naming it: checked after each timing. */
  verify(): Promise<void>;
  path: string;
  close(): Promise<void>;
};

/** How often the bench's job worker looks for due jobs (an origin's looks every second). */
export const WORKER_POLL_MS = 20;

/**
 * An engine on `dir` with the package's blob in its primary store, three local nodes added as an
 * admin adds them (probed) and the replication config at quorum with a factor of three.
 */
async function localReplicator(dir: string, pkg: BenchPackage): Promise<Replicator> {
  mkdirSync(path.join(dir, 'engine'), { recursive: true });
  const engine = createEngine({ dataDir: path.join(dir, 'engine') });
  // Hard-linked into the store (same disk), then hashed: the blob a publish would have committed.
  const staged = await engine.blobs.stageFile(pkg.file);
  await staged.commit();
  const nodeDirs = Array.from({ length: NODE_COUNT }, (_, i) => path.join(dir, `node-${i + 1}`));
  for (const [i, p] of nodeDirs.entries()) await addNode(engine, { id: `bench-${i + 1}`, region: `region-${i + 1}`, backend: { type: 'local', path: p } });
  updateReplicationConfig(engine, { consistency: 'quorum', replication_factor: NODE_COUNT });
  const worker = startWorker(
    engine,
    REPLICATION_JOB_HANDLERS.filter((h) => h.kind === REPLICATION_JOBS.apply),
    { pollMs: WORKER_POLL_MS, concurrency: NODE_COUNT },
  );
  let round = 0;
  let target: ReplicaTarget = { name: pkg.name, version: pkg.version, digest: staged.digest, size: staged.size, yanked: false };
  const rows = () => engine.db.select().from(replicas).where(and(eq(replicas.name, target.name), eq(replicas.version, target.version))).all();
  /** Bytes the succeeded apply jobs of this round sent (a job that found the blob on its node sent none). */
  const appliedBytes = (since: number) =>
    engine.db
      .select({ result: jobs.result })
      .from(jobs)
      .where(and(eq(jobs.kind, REPLICATION_JOBS.apply), gte(jobs.id, since)))
      .all()
      .reduce((n, j) => n + ((j.result ? (JSON.parse(j.result) as { bytes?: number }).bytes : 0) ?? 0), 0);
  const lastJobId = () => engine.db.select({ id: jobs.id }).from(jobs).orderBy(desc(jobs.id)).limit(1).get()?.id ?? 0;
  return {
    engine,
    nodeDirs,
    blobFile: path.join(engine.dataDir, 'blobs', staged.digest.slice(0, 2), staged.digest.slice(2, 4), staged.digest),
    path:
      `replicateOnPublish (lib/engine/replication/replicate-on-publish.ts, what a publish runs once the primary blob is durable) at quorum with a factor of ${NODE_COUNT} ` +
      `stages the blob on the three nodes (fan-out-blob.ts stageOnStores: with a local primary and local nodes, each node takes a kernel copy of the primary's blob file (copyFile) while the primary file is read and hashed once; temp file, fsync, rename once the hash matched; then the ref) and returns at a majority; ` +
      `the replica rows and apply jobs commit as a publish commits them (insertReplicas); then a job worker (polling every ${WORKER_POLL_MS} ms; an origin's polls every second) ` +
      `runs \`replication.apply\` until every row is present. Nodes added with addNode (probed), config set with updateReplicationConfig`,
    async replicate() {
      // A fresh version each round: its own rows and jobs, as a new publish has.
      target = { ...target, version: `${pkg.version}-r${++round}` };
      const firstJob = lastJobId() + 1;
      const t0 = performance.now();
      const replication = await replicateOnPublish(engine, target);
      const quorumAt = performance.now();
      const committedAt = engine.now();
      engine.db.transaction((tx) => insertReplicas(engine, tx, replication.replicas.map((r) => ({ ...r, ...target, seq: round, committedAt })), committedAt));
      for (;;) {
        const states = rows();
        if (states.length === NODE_COUNT && states.every((r) => r.state === 'present')) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      const allAt = performance.now();
      return { quorumSeconds: (quorumAt - t0) / 1000, allSeconds: (allAt - t0) / 1000, resentBytes: appliedBytes(firstJob) };
    },
    async verify() {
      for (const row of nodeRows(engine)) {
        const node = storageFor(engine, row);
        const blob = await node.blobs.stat(target.digest);
        const ref = await node.refs.get(target.name, target.version);
        if (blob?.size !== target.size || ref?.digest !== target.digest) {
          throw new Error(`node ${row.id} does not hold ${target.name}@${target.version} after the replication (blob ${blob ? `${blob.size} bytes` : 'missing'}, ref ${ref ? ref.digest : 'missing'})`);
        }
      }
    },
    async close() {
      await worker.stop();
      engine.close();
    },
  };
}

/**
 * `repeats` rounds, each running the replication and both cp variants in a rotating order, with the
 * disks synced and the node and cp folders emptied before each timing. The package's bytes enter the
 * engine's blob store under `dir` as a hard link of `pkg.file` (left in place).
 */
export async function benchLocalReplication(opts: { dir: string; pkg: BenchPackage; repeats: number; log: (msg: string) => void }): Promise<LocalResult> {
  const { dir, pkg, repeats, log } = opts;
  const rep = await localReplicator(dir, pkg);
  try {
    const src = rep.blobFile;
    const cpDirs = Array.from({ length: NODE_COUNT }, (_, i) => path.join(dir, `cp-${i + 1}`));
    const runs: LocalRun[] = [];
    for (let i = 0; i < repeats; i++) {
      const run: Partial<LocalRun> = {};
      const steps: Array<[string, () => Promise<void>]> = [
        [
          'replication',
          async () => {
            const r = await rep.replicate();
            await rep.verify();
            run.quorumSeconds = r.quorumSeconds;
            run.allSeconds = r.allSeconds;
            run.resentBytes = r.resentBytes;
          },
        ],
        ['cp, sequential', async () => void (run.cpSequentialSeconds = await cpToFolders(src, cpDirs, false))],
        ['cp, parallel', async () => void (run.cpParallelSeconds = await cpToFolders(src, cpDirs, true))],
      ];
      for (let k = 0; k < steps.length; k++) {
        const [label, step] = steps[(k + i) % steps.length];
        for (const d of [...rep.nodeDirs, ...cpDirs]) emptyDir(d);
        syncDisks();
        await step();
        log(`  round ${i + 1}/${repeats}: ${label} done`);
      }
      runs.push(run as LocalRun);
    }
    return { bytes: statSync(src).size, path: rep.path, runs };
  } finally {
    await rep.close();
  }
}
