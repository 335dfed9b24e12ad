import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine/engine';
import { getVersion } from '@/lib/engine/registry';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { tempEngine } from '@/lib/engine/test-support/temp-engine';
import { EXIT } from '../exit-codes';
import { torshInProcess } from '../test-support/run-in-process';
import { cliHome, removeHomes, runTorsh } from '../test-support/run-torsh';
import type { SnapshotJson } from './backup-format';

// `torsh backup` end to end on real registries (temp data dirs, real SQLite, real blob stores) and
// a local repository. The binary runs where the process matters (exit codes, stdin that is not a
// terminal); the other steps run main() in-process (same code, no process start each).

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PASSWORD = 'correct horse battery staple';
const { env: home } = cliHome();
const env = { ...home, TORSH_BACKUP_PASSWORD: PASSWORD };

let tmp: string;
let repo: string;
let registryA: Awaited<ReturnType<typeof tempEngine>>;
let registryB: Awaited<ReturnType<typeof tempEngine>>;

const weights = (n: number) => [{ path: 'models/model.bin', source: randomBytes(n) }];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'torsh-backup-cli-'));
  repo = path.join(tmp, 'repo');
  registryA = await tempEngine();
  registryB = await tempEngine();
  await publishSample(registryA, 'alpha', '1.0.0', { files: weights(700 * 1024) });
  await publishSample(registryB, 'beta', '1.0.0', { files: weights(500 * 1024) });
});

afterAll(async () => {
  await registryA?.cleanup();
  await registryB?.cleanup();
  await rm(tmp, { recursive: true, force: true });
  removeHomes();
});

const torsh = (args: string[], extra: Record<string, string> = {}) => torshInProcess(args, { ...env, ...extra });

async function list(): Promise<SnapshotJson[]> {
  const result = await torsh(['backup', 'list', '--repo', repo, '--json']);
  expect(result.code, result.stderr).toBe(EXIT.OK);
  return JSON.parse(result.stdout) as SnapshotJson[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('torsh backup', () => {
  it('init creates a repository (the binary); a second init is a conflict (exit 5)', async () => {
    const first = await runTorsh(['backup', 'init', '--repo', repo], { env });
    expect(first.code, first.stderr).toBe(EXIT.OK);
    expect(first.stdout).toMatch(/^created backup repository [0-9a-f]{32} at /);
    const again = await torsh(['backup', 'init', '--repo', repo]);
    expect(again.code).toBe(EXIT.CONFLICT);
    expect(again.stderr).toContain('BACKUP_REPO_EXISTS');
  });

  it('refuses without --repo (exit 1) and takes $TORSH_BACKUP_REPO instead', async () => {
    const missing = await torsh(['backup', 'list']);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain("required option '--repo <url>' not specified");
    const fromEnv = await torsh(['backup', 'list', '--json'], { TORSH_BACKUP_REPO: repo });
    expect(fromEnv.code, fromEnv.stderr).toBe(EXIT.OK);
    expect(JSON.parse(fromEnv.stdout)).toEqual([]);
  });

  it('create backs up a live registry; list --json is oldest first with sizes and dedup', async () => {
    const first = await torsh(['backup', 'create', '--repo', repo, '--data', registryA.dataDir, '--tag', 'nightly', '--tag', 'a', '--json']);
    expect(first.code, first.stderr).toBe(EXIT.OK);
    const created = JSON.parse(first.stdout) as SnapshotJson;
    expect(created).toMatchObject({ kind: 'registry', tags: ['nightly', 'a'], recovery_point: null, package: null });
    // Registry B's recovery point, then a plain snapshot of B that adds (almost) nothing new.
    const rp = await torsh([
      'backup', 'create', '--repo', repo, '--data', registryB.dataDir,
      '--recovery-point', 'before-upgrade', '--recovery-point-description', 'B as it was', '--description', 'pinned',
    ]);
    expect(rp.code, rp.stderr).toBe(EXIT.OK);
    expect(rp.stdout).toMatch(/^snapshot [0-9a-f]{8} saved \(registry, recovery point "before-upgrade"\): \d+ files, /);
    const plain = await runTorsh(['backup', 'create', '--repo', repo, '--data', registryB.dataDir, '--tag', 'nightly'], { env });
    expect(plain.code, plain.stderr).toBe(EXIT.OK);

    const snapshots = await list();
    expect(snapshots).toHaveLength(3);
    expect(snapshots[0].id).toBe(created.id);
    const times = snapshots.map((s) => Date.parse(s.time));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    for (const s of snapshots) {
      expect(s.id).toMatch(/^[0-9a-f]{64}$/);
      expect(s.short_id).toBe(s.id.slice(0, 8));
      expect(s.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(s.logical_bytes).toBeGreaterThan(500 * 1024);
      expect(s.file_count).toBeGreaterThanOrEqual(2);
    }
    expect(snapshots[1].recovery_point).toEqual({ name: 'before-upgrade', description: 'B as it was' });
    expect(snapshots[1].description).toBe('pinned');
    // The weights are stored once: the third snapshot adds a small fraction of what it covers.
    expect(snapshots[2].new_bytes).toBeLessThan(snapshots[2].logical_bytes / 4);
    expect(snapshots[2].dedup_ratio === null || snapshots[2].dedup_ratio > 4).toBe(true);
    expect(snapshots[0].dedup_ratio).toBeGreaterThan(0);

    const human = await torsh(['backup', 'list', '--repo', repo]);
    expect(human.stdout).toMatch(/^ID\s+TIME \(UTC\)\s+KIND\s+TAGS\s+SIZE\s+NEW\s+DEDUP\s+RECOVERY POINT\n/);
    expect(human.stdout).toContain('before-upgrade');
    expect(human.stdout).toMatch(/KiB|MiB/);
  });

  it('a wrong password is exit 3 with a clear message and writes nothing', async () => {
    const before = await filesUnder(repo);
    const result = await runTorsh(['backup', 'create', '--repo', repo, '--data', registryA.dataDir], {
      env: { ...env, TORSH_BACKUP_PASSWORD: 'not the password' },
    });
    expect(result.code).toBe(EXIT.AUTH);
    expect(result.stderr).toMatch(/^torsh: .*password.* \(BACKUP_WRONG_PASSWORD\)\n$/i);
    expect(result.stdout).toBe('');
    expect(await filesUnder(repo)).toEqual(before);
  });

  it('no password and no terminal: a clear error, exit 1, before touching the repository', async () => {
    const { TORSH_BACKUP_PASSWORD: _unused, ...noPassword } = env;
    const result = await runTorsh(['backup', 'list', '--repo', repo], { env: noPassword });
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toBe(
      'torsh: no repository password: set TORSH_BACKUP_PASSWORD or pass --password-file (stdin is not a terminal, so it cannot be asked)\n',
    );
  });

  it('on a terminal, init asks for the new password twice; a mismatch creates nothing', async () => {
    const { TORSH_BACKUP_PASSWORD: _unused, ...noPassword } = env;
    const other = path.join(tmp, 'prompted');
    const mismatch = await runTorsh(['backup', 'init', '--repo', other], { env: noPassword, tty: true, input: 'one secret\ranother\r' });
    expect(mismatch.code, mismatch.stdout).toBe(EXIT.USAGE);
    expect(mismatch.stdout).toContain('New repository password: ');
    expect(mismatch.stdout).toContain('the passwords do not match');
    const same = await runTorsh(['backup', 'init', '--repo', other], { env: noPassword, tty: true, input: 'one secret\rone secret\r' });
    expect(same.code, same.stdout).toBe(EXIT.OK);
    const opened = await torsh(['backup', 'list', '--repo', other, '--json'], { TORSH_BACKUP_PASSWORD: 'one secret' });
    expect(opened.code, opened.stderr).toBe(EXIT.OK);
  });

  it('--password-file reads the first line; a missing file is exit 1', async () => {
    const file = path.join(tmp, 'password.txt');
    await writeFile(file, `${PASSWORD}\n`);
    const ok = await torsh(['backup', 'list', '--repo', repo, '--json', '--password-file', file], { TORSH_BACKUP_PASSWORD: 'wrong' });
    expect(ok.code, ok.stderr).toBe(EXIT.OK);
    const missing = await torsh(['backup', 'list', '--repo', repo, '--password-file', path.join(tmp, 'nope')]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('cannot read --password-file');
  });

  it('an unknown repository is exit 4', async () => {
    const result = await torsh(['backup', 'list', '--repo', path.join(tmp, 'nothing-here')]);
    expect(result.code).toBe(EXIT.NOT_FOUND);
    expect(result.stderr).toContain('BACKUP_REPO_NOT_FOUND');
  });

  it('verify and verify --read-data pass on a sound repository', async () => {
    const structural = await torsh(['backup', 'verify', '--repo', repo]);
    expect(structural.code, structural.stderr).toBe(EXIT.OK);
    expect(structural.stdout).toMatch(/^structural verify of 3 snapshots: \d+ chunks checked/);
    expect(structural.stdout).toContain('no errors were found');
    const full = await torsh(['backup', 'verify', '--repo', repo, '--read-data', '--json']);
    expect(full.code, full.stderr).toBe(EXIT.OK);
    expect(JSON.parse(full.stdout)).toMatchObject({ mode: 'read-data', ok: true, snapshots: 3, damaged: [], damaged_files: [] });
  });

  it('restore writes a data directory with byte-identical blobs that a registry opens', async () => {
    const [first] = await list();
    const to = path.join(tmp, 'restored-a');
    const result = await torsh(['backup', 'restore', '--repo', repo, '--snapshot', first.short_id, '--to', to]);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stdout).toMatch(new RegExp(`^restored snapshot ${first.short_id} into ${to}: \\d+ files, `));
    const blobs = await filesUnder(path.join(registryA.dataDir, 'blobs'));
    expect(blobs.length).toBeGreaterThan(0);
    expect(await filesUnder(path.join(to, 'blobs'))).toEqual(blobs);
    for (const blob of blobs) {
      expect((await readFile(path.join(to, 'blobs', blob))).equals(await readFile(path.join(registryA.dataDir, 'blobs', blob)))).toBe(true);
    }
    const restored = createEngine({ dataDir: to });
    try {
      expect(getVersion(restored, 'alpha', '1.0.0').digest).toBe(getVersion(registryA, 'alpha', '1.0.0').digest);
    } finally {
      restored.close();
    }
    const again = await torsh(['backup', 'restore', '--repo', repo, '--snapshot', first.short_id, '--to', to]);
    expect(again.code).toBe(EXIT.CONFLICT);
    expect(again.stderr).toContain('BACKUP_RESTORE_TARGET_NOT_EMPTY');
    const unknown = await torsh(['backup', 'restore', '--repo', repo, '--snapshot', 'ffffffffffff', '--to', path.join(tmp, 'x')]);
    expect(unknown.code).toBe(EXIT.NOT_FOUND);
  });

  it('forget --dry-run lists the plan and deletes nothing; forget --prune frees what it said', async () => {
    const before = await list();
    const noPolicy = await torsh(['backup', 'forget', '--repo', repo, '--dry-run']);
    expect(noPolicy.code).toBe(EXIT.USAGE);
    expect(noPolicy.stderr).toContain('no retention policy');

    // keep-last 1 keeps B's newest snapshot; B's recovery point stays whatever the policy; A's snapshot goes.
    const dry = await torsh(['backup', 'forget', '--repo', repo, '--keep-last', '1', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(EXIT.OK);
    const plan = JSON.parse(dry.stdout) as { dry_run: boolean; remove: string[]; freed_bytes: number; decisions: { id: string; keep: boolean }[] };
    expect(plan.dry_run).toBe(true);
    expect(plan.remove).toEqual([before[0].id]);
    expect(Object.fromEntries(plan.decisions.map((d) => [d.id, d.keep]))).toEqual({
      [before[0].id]: false,
      [before[1].id]: true,
      [before[2].id]: true,
    });
    expect(plan.freed_bytes).toBeGreaterThan(700 * 1024 * 0.5);
    const humanDry = await torsh(['backup', 'forget', '--repo', repo, '--keep-last', '1', '--dry-run']);
    expect(humanDry.stdout).toContain('would remove 1 of 3 snapshots');
    expect(humanDry.stdout).toContain('dry run: nothing was changed');
    expect((await list()).map((s) => s.id)).toEqual(before.map((s) => s.id));

    const real = await torsh(['backup', 'forget', '--repo', repo, '--keep-last', '1', '--prune', '--json']);
    expect(real.code, real.stderr).toBe(EXIT.OK);
    const done = JSON.parse(real.stdout) as { removed: string[]; prune: { freed_bytes: number } };
    expect(done.removed).toEqual([before[0].id]);
    expect(done.prune.freed_bytes).toBe(plan.freed_bytes);
    expect((await list()).map((s) => s.id)).toEqual([before[1].id, before[2].id]);

    const verify = await torsh(['backup', 'verify', '--repo', repo, '--read-data']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(EXIT.OK);
    const prune = await torsh(['backup', 'prune', '--repo', repo, '--json']);
    expect(prune.code, prune.stderr).toBe(EXIT.OK);
    expect(JSON.parse(prune.stdout)).toMatchObject({ removed_chunks: 0, freed_bytes: 0 });
  });

  it('forget checks its flags: a bad count or duration is exit 1', async () => {
    const count = await torsh(['backup', 'forget', '--repo', repo, '--keep-last', '0']);
    expect(count.code).toBe(EXIT.USAGE);
    expect(count.stderr).toContain('--keep-last must be a whole number of at least 1');
    const duration = await torsh(['backup', 'forget', '--repo', repo, '--keep-within', 'soon']);
    expect(duration.code).toBe(EXIT.USAGE);
  });

  it('key add: the second password opens the repository; key remove takes it away again', async () => {
    const add = await torsh(['backup', 'key', 'add', '--repo', repo, '--label', 'ops'], { TORSH_BACKUP_NEW_PASSWORD: 'second secret' });
    expect(add.code, add.stderr).toBe(EXIT.OK);
    const added = /^added key ([0-9a-f]{8})\n$/.exec(add.stdout)?.[1];
    expect(added).toBeTruthy();
    const withSecond = await torsh(['backup', 'key', 'list', '--repo', repo, '--json'], { TORSH_BACKUP_PASSWORD: 'second secret' });
    expect(withSecond.code, withSecond.stderr).toBe(EXIT.OK);
    const keys = JSON.parse(withSecond.stdout) as { id: string; label: string | null; current: boolean }[];
    expect(keys).toHaveLength(2);
    expect(keys.find((k) => k.current)).toMatchObject({ label: 'ops' });
    expect(keys.find((k) => k.current)!.id.startsWith(added!)).toBe(true);

    const removeSelf = await torsh(['backup', 'key', 'remove', '--repo', repo, added!], { TORSH_BACKUP_PASSWORD: 'second secret' });
    expect(removeSelf.code).not.toBe(EXIT.OK);
    const remove = await torsh(['backup', 'key', 'remove', '--repo', repo, added!]);
    expect(remove.code, remove.stderr).toBe(EXIT.OK);
    const gone = await torsh(['backup', 'list', '--repo', repo], { TORSH_BACKUP_PASSWORD: 'second secret' });
    expect(gone.code).toBe(EXIT.AUTH);
  });

  it('a flipped byte in a chunk: verify --read-data exits 7 naming the chunk and its snapshots', async () => {
    const [rp] = await list();
    const dataFiles = (await filesUnder(repo)).filter((f) => f.startsWith(`data${path.sep}`));
    // The biggest object is a chunk of the weights, which every remaining snapshot references.
    const sizes = await Promise.all(dataFiles.map(async (f) => [f, (await readFile(path.join(repo, f))).length] as const));
    const [victim] = sizes.sort((x, y) => y[1] - x[1])[0];
    const bytes = await readFile(path.join(repo, victim));
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(path.join(repo, victim), bytes);

    const quick = await torsh(['backup', 'verify', '--repo', repo]);
    expect(quick.code, quick.stdout).toBe(EXIT.OK);
    const full = await torsh(['backup', 'verify', '--repo', repo, '--read-data']);
    expect(full.code).toBe(EXIT.INTEGRITY);
    const chunkId = path.basename(victim);
    expect(full.stdout).toContain(`damaged chunk ${chunkId} (corrupt)`);
    expect(full.stdout).toContain(rp.short_id);
    expect(full.stdout).toMatch(/file: [0-9a-f]{8} blobs\//);
    expect(full.stderr).toMatch(/^torsh: verify failed: 1 damaged chunks/);
  });
});

describe('torsh backup create, interrupted', () => {
  it('the first Ctrl-C stops it cleanly: no snapshot, no lock left, the next backup and a full verify pass', async () => {
    const registry = await tempEngine();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-backup-int-'));
    const repository = path.join(dir, 'repo');
    try {
      await publishSample(registry, 'big', '1.0.0', { files: weights(48 * 1024 * 1024) });
      expect((await torshInProcess(['backup', 'init', '--repo', repository], env)).code).toBe(EXIT.OK);
      const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'torsh.mjs'), 'backup', 'create', '--repo', repository, '--data', registry.dataDir], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Interrupt once chunks are landing, i.e. mid-backup.
      const dataDir = path.join(repository, 'data');
      while ((await readdir(dataDir, { recursive: true }).catch(() => [])).length < 4) {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).toBe(EXIT.USAGE);
      expect(stderr).toContain('interrupted: stopping');
      expect(await readdir(path.join(repository, 'locks')).catch(() => [])).toEqual([]);
      expect(await readdir(path.join(repository, 'snapshots')).catch(() => [])).toEqual([]);

      const again = await torshInProcess(['backup', 'create', '--repo', repository, '--data', registry.dataDir, '--json'], env);
      expect(again.code, again.stderr).toBe(EXIT.OK);
      const verify = await torshInProcess(['backup', 'verify', '--repo', repository, '--read-data'], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(EXIT.OK);
    } finally {
      await registry.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
