// `npx tsx bench/backup.ts`: backups of a registry data directory, ours (`torsh backup …`) beside
// restic (Debian's package, installed when missing) on the same generated data in the same run:
// first backup of ~1 GiB of model packages (MB/s, stored bytes), a second backup after a new version
// of every model differing in 5 % (stored increment), a full restore (MB/s); plus the chunking and
// packing figures the engine's choices rest on. Puts its run first in the "Backups" section of
// bench/RESULTS.md.
// --quick: 64 MiB of models (to bench/out/RESULTS-quick.md). BENCH_BACKUP_MIB=n: model MiB in total.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { backupMicro } from './lib/backup-micro';
import { backupSection, type BackupRun, type Timed, type ToolRun } from './lib/backup-results';
import { publishEditedVersions, publishFirstVersions } from './lib/backup-data';
import { fmt, logger, MiB } from './lib/format';
import { ensureTools } from './lib/required-tools';
import { insertRun, isQuick, resultsFile } from './lib/results-file';
import { runChecked, runCommand, syncDisks } from './lib/run-command';
import { treeSize } from './lib/tree-size';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'torsh.mjs');
const QUICK = isQuick();
const PASSWORD = 'backup benchmark password';
const log = logger('bench:backup');

/** Runs a command under /usr/bin/time: wall seconds, peak RSS, stdout. */
async function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed & { stdout: string }> {
  const r = await runCommand('/usr/bin/time', ['-f', 'BENCH_MAXRSS_KB=%M', cmd, ...args], { cwd: ROOT, env });
  const m = /BENCH_MAXRSS_KB=(\d+)/.exec(r.stderr);
  if (r.code !== 0) throw new Error(`${path.basename(cmd)} ${args.slice(0, 2).join(' ')} exited with ${r.code}: ${r.stderr.trim().slice(-2000)}`);
  return { seconds: r.seconds, peakRssBytes: m ? Number(m[1]) * 1024 : 0, stdout: r.stdout };
}

type Tool = {
  init(): Promise<void>;
  backup(): Promise<Timed>;
  restore(to: string): Promise<Timed>;
};

function ours(repo: string, dataDir: string, env: NodeJS.ProcessEnv): Tool {
  const torsh = (args: string[]) => timed(process.execPath, [BIN, 'backup', ...args], env);
  return {
    init: async () => void (await torsh(['init', '--repo', repo])),
    backup: () => torsh(['create', '--repo', repo, '--data', dataDir, '--tag', 'bench']),
    async restore(to) {
      const list = JSON.parse((await torsh(['list', '--repo', repo, '--json'])).stdout) as { id: string }[];
      return torsh(['restore', '--repo', repo, '--snapshot', list.at(-1)!.id, '--to', to]);
    },
  };
}

function restic(repo: string, dataDir: string, env: NodeJS.ProcessEnv): Tool {
  const run = (args: string[]) => timed('restic', ['--repo', repo, '--quiet', ...args], env);
  return {
    init: async () => void (await run(['init', '--repository-version', '2'])),
    backup: () => run(['backup', '--compression', 'auto', dataDir]),
    restore: (to) => run(['restore', 'latest', '--target', to]),
  };
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file, { highWaterMark: 4 * MiB }), h);
  return h.digest('hex');
}

/** Every blob of the data directory is in the restored one with the same bytes. */
async function blobsIdentical(dataDir: string, restored: string): Promise<boolean> {
  const root = path.join(dataDir, 'blobs');
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.startsWith('.')) continue;
    const rel = path.relative(root, path.join(e.parentPath, e.name));
    if (rel.split(path.sep).some((p) => p.startsWith('tmp') || p.startsWith('.'))) continue;
    const copy = path.join(restored, 'blobs', rel);
    if ((await sha256(path.join(root, rel)).catch(() => 'a')) !== (await sha256(copy).catch(() => 'b'))) {
      log(`restored blob differs or is missing: ${rel}`);
      return false;
    }
  }
  return true;
}

async function resticVersion(): Promise<string> {
  return (await runChecked('restic', ['version'])).stdout.trim().split(' compiled')[0];
}

export async function runBackupBench(): Promise<string> {
  const totalMiB = Number(process.env.BENCH_BACKUP_MIB ?? (QUICK ? 64 : 1024));
  if (!Number.isInteger(totalMiB) || totalMiB < 8) throw new Error('BENCH_BACKUP_MIB must be an integer ≥ 8');
  await ensureTools(log, ['restic']);
  const loadBefore = os.loadavg()[0];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'torsh-bench-backup-'));
  const dir = (name: string) => path.join(tmp, name);
  const dataDir = dir('data');
  const work = dir('work');
  await Promise.all(['data', 'work'].map((d) => mkdir(dir(d))));
  const env = { ...process.env, TORSH_BACKUP_PASSWORD: PASSWORD, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: dir('restic-cache') };
  const tools = { ours: ours(dir('repo-ours'), dataDir, env), restic: restic(dir('repo-restic'), dataDir, env) };
  const repos = { ours: dir('repo-ours'), restic: dir('repo-restic') };
  const partial: Record<'ours' | 'restic', Partial<ToolRun>> = { ours: {}, restic: {} };
  try {
    log(`publishing ${totalMiB} MiB of models into ${dataDir}`);
    const models = await publishFirstVersions(dataDir, work, totalMiB, log);
    const logicalFirst = (await treeSize(dataDir)).bytes;
    for (const name of ['ours', 'restic'] as const) {
      await tools[name].init();
      syncDisks();
      const t = await tools[name].backup();
      syncDisks();
      partial[name].first = t;
      partial[name].storedFirst = (await treeSize(repos[name])).bytes;
      log(`${name}: first backup ${fmt(t.seconds, 2)} s, stored ${fmt(partial[name].storedFirst!)} bytes`);
    }
    const changed = await publishEditedVersions(dataDir, work, models, log);
    const logicalSecond = (await treeSize(dataDir)).bytes;
    for (const name of ['ours', 'restic'] as const) {
      syncDisks();
      const t = await tools[name].backup();
      syncDisks();
      partial[name].second = t;
      partial[name].storedIncrement = (await treeSize(repos[name])).bytes - partial[name].storedFirst!;
      log(`${name}: second backup ${fmt(t.seconds, 2)} s, increment ${fmt(partial[name].storedIncrement!)} bytes`);
    }
    let restoreIdentical = false;
    for (const name of ['ours', 'restic'] as const) {
      const to = dir(`restore-${name}`);
      syncDisks();
      partial[name].restore = await tools[name].restore(to);
      log(`${name}: restore ${fmt(partial[name].restore!.seconds, 2)} s`);
      if (name === 'ours') restoreIdentical = await blobsIdentical(dataDir, to);
      await rm(to, { recursive: true, force: true });
    }
    const micro = await backupMicro(QUICK, path.join(dataDir, 'torsh.db'));
    const kinds = models.map((m) => `${m.kind} ${m.bytes / MiB} MiB`).join(', ');
    const run: BackupRun = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${fmt(os.totalmem() / 1024 ** 3, 1)} GiB RAM, Node ${process.version}, Linux ${os.release()}`,
      loadBefore,
      resticVersion: await resticVersion(),
      logicalFirst,
      logicalSecond,
      changedBytes: changed,
      modelBytes: models.reduce((n, m) => n + m.bytes, 0),
      models: `four models (${kinds})`,
      restoredBytes: logicalSecond,
      restoreIdentical,
      ours: partial.ours as ToolRun,
      restic: partial.restic as ToolRun,
      micro,
    };
    return backupSection(run);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const section = await runBackupBench();
  console.log(`\n${section}`);
  const file = resultsFile(QUICK);
  insertRun(file, 'backups', section);
  log(`run added to ${path.relative(process.cwd(), file)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
