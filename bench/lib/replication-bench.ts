// The replication benchmark's two parts on one package size, in a temp dir that is removed after.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt } from './format';
import { makeModelFile, makePackage } from './make-package';
import { benchLocalReplication, type LocalResult } from './replicate-local';
import type { ReplicationRun } from './replication-results';
import { benchS3Primary } from './s3-primary';
import { killGroup } from './service';

export type ReplicationBenchOptions = {
  /** Size of the package's model file. */
  mib: number;
  repeats: number;
  quick: boolean;
  log: (msg: string) => void;
  /** Where the temp dir goes (default: the OS temp dir). */
  parentDir?: string;
  /** Which parts run (BENCH_REPL_PARTS; default both). */
  parts?: ReplicationPart[];
};

export const REPLICATION_PARTS = ['local', 's3'] as const;
export type ReplicationPart = (typeof REPLICATION_PARTS)[number];

/** BENCH_REPL_PARTS: `local`, `s3` or both comma-separated (unset: both). */
export function replicationParts(raw: string | undefined): ReplicationPart[] {
  if (raw === undefined || raw.trim() === '') return [...REPLICATION_PARTS];
  const parts = raw.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => !(REPLICATION_PARTS as readonly string[]).includes(p));
  if (bad.length || parts.length === 0) throw new Error(`BENCH_REPL_PARTS must list ${REPLICATION_PARTS.join(' and/or ')}, got ${JSON.stringify(raw)}`);
  return REPLICATION_PARTS.filter((p) => parts.includes(p));
}

export function machineText(): string {
  return (
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB RAM, ` +
    `Node ${process.version}, Linux ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`
  );
}

/** Runs both parts; every process it starts is killed (by its own pid) and the temp dir removed, whatever happens. */
export async function runReplicationBench(opts: ReplicationBenchOptions): Promise<ReplicationRun> {
  const loadBefore = os.loadavg()[0];
  const tmp = mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), 'torsh-bench-repl-'));
  const pids = new Set<number>();
  const dirs = new Set<string>();
  // Services run in their own process group (the origin); s3rver is a plain child: signal both ways.
  const killAll = () => {
    for (const pid of pids) {
      killGroup(pid, 'SIGKILL');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => {
    killAll();
    for (const d of [tmp, ...dirs]) rmSync(d, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    opts.log(`temp dir ${tmp}; ${opts.mib} MiB package, ${opts.repeats} round(s)`);
    const modelFile = await makeModelFile(tmp, opts.mib);
    const parts = opts.parts ?? [...REPLICATION_PARTS];
    let local: ReplicationRun['local'];
    let s3: ReplicationRun['s3'];
    if (parts.includes('local')) {
      const pkg = await makePackage(tmp, opts.mib, '1.0.0', modelFile);
      opts.log(`1. replication to 3 local nodes at quorum vs cp (${fmt(pkg.bytes)} bytes)`);
      local = await benchLocalReplication({ dir: path.join(tmp, 'local'), pkg, repeats: opts.repeats, log: opts.log });
      rmSync(pkg.file);
    }
    if (parts.includes('s3')) {
      opts.log('2. publish and download through an origin whose primary store is on s3rver');
      s3 = await benchS3Primary({ tmp, mib: opts.mib, modelFile, repeats: opts.repeats, log: opts.log, track: (pid, dir) => {
          pids.add(pid);
          if (dir) dirs.add(dir);
        },
      });
    }
    return { date: new Date().toISOString(), quick: opts.quick, machine: machineText(), loadBefore, repeats: opts.repeats, local, s3 };
  } finally {
    killAll();
    process.removeListener('exit', onExit);
    rmSync(tmp, { recursive: true, force: true });
  }
}
