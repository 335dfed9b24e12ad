import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createRegistrySnapshot } from '@/lib/engine/backup/create-snapshot';
import { applyRetention, planForget } from '@/lib/engine/backup/forget';
import { pruneRepository } from '@/lib/engine/backup/prune';
import { initRepository } from '@/lib/engine/backup/repo/repository';
import { findRecoveryPoint } from '@/lib/engine/backup/recovery-points';
import { restoreRegistry } from '@/lib/engine/backup/restore-registry';
import type { RecoveryPoint, Snapshot } from '@/lib/engine/backup/types';
import { verifyRepository } from '@/lib/engine/backup/verify';
import { loadBlobStoreFromEnv } from '@/lib/engine/storage/load-store-from-config';
import { CliError, EXIT } from '../exit-codes';
import { note, printJson, say } from '../output';
import { formatBinarySize } from '../progress';
import {
  forgetJson,
  forgetText,
  keyJson,
  keyTable,
  pruneJson,
  pruneText,
  shortId,
  snapshotJson,
  snapshotLine,
  snapshotTable,
  verifyJson,
  verifyText,
} from './backup-format';
import { backupPassword, NEW_PASSWORD_ENV } from './backup-password';
import { interruptible, statusLine } from './backup-progress';
import { backendFor, openRepo, policyFromFlags, repoPassword, type PolicyFlags, type RepoFlags } from './backup-repo';

// The engine side of `torsh backup`: loaded only when a backup command runs (backup.ts registers them).

type Json = { json?: boolean };

function nonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new CliError(EXIT.USAGE, `${flag} must not be empty`);
  return value;
}

async function requireRegistry(dataDir: string): Promise<void> {
  const db = path.join(dataDir, 'torsh.db');
  const found = await stat(db).then((s) => s.isFile(), () => false);
  if (!found) throw new CliError(EXIT.USAGE, `no registry in ${dataDir} (${db} not found): --data names the server's data directory`);
}

export async function runInit(flags: RepoFlags & { label?: string }): Promise<void> {
  const backend = backendFor(flags.repo);
  const password = await repoPassword(flags, { confirm: true, what: 'New repository password' });
  const repo = await initRepository(backend, password, { label: flags.label });
  say(`created backup repository ${repo.config.id} at ${backend.location}\n`);
  note('keep the password safe: without it nothing in the repository can be read back\n');
}

export type CreateFlags = RepoFlags &
  Json & {
    data: string;
    tag?: string[];
    description?: string;
    recoveryPoint?: string;
    recoveryPointDescription?: string;
  };

function recoveryPointOf(flags: CreateFlags): RecoveryPoint | null {
  if (flags.recoveryPoint === undefined) {
    if (flags.recoveryPointDescription !== undefined) throw new CliError(EXIT.USAGE, '--recovery-point-description needs --recovery-point NAME');
    return null;
  }
  return { name: nonEmpty(flags.recoveryPoint, '--recovery-point'), description: flags.recoveryPointDescription ?? null };
}

export async function runCreate(flags: CreateFlags): Promise<void> {
  const dataDir = path.resolve(flags.data);
  const recoveryPoint = recoveryPointOf(flags);
  const tags = (flags.tag ?? []).map((t) => nonEmpty(t, '--tag'));
  await requireRegistry(dataDir);
  const repo = await openRepo(flags);
  const blobs = await loadBlobStoreFromEnv(process.env, dataDir);
  const status = statusLine('backup', 'bytes');
  const snapshot = await interruptible((signal) =>
    createRegistrySnapshot(repo, { dataDir, blobs }, { tags, description: flags.description ?? null, recoveryPoint, onProgress: status.onProgress, signal }),
  ).finally(status.clear);
  if (flags.json) printJson(snapshotJson(snapshot));
  else say(`${snapshotLine(snapshot)}\n`);
}

export async function runList(flags: RepoFlags & Json): Promise<void> {
  const repo = await openRepo(flags);
  const snapshots = await repo.listSnapshots();
  if (flags.json) printJson(snapshots.map(snapshotJson));
  else if (snapshots.length === 0) say('no snapshots yet: torsh backup create --repo R --data DIR makes one\n');
  else say(`${snapshotTable(snapshots)}\n${snapshots.length} snapshots\n`);
}

export async function runVerify(flags: RepoFlags & Json & { readData?: boolean }): Promise<void> {
  const repo = await openRepo(flags);
  const status = statusLine(flags.readData ? 'verify --read-data' : 'verify', 'steps');
  const report = await interruptible((signal) =>
    verifyRepository(repo, { readData: Boolean(flags.readData), onProgress: status.onProgress, signal }),
  ).finally(status.clear);
  if (flags.json) printJson(verifyJson(report));
  else say(verifyText(report));
  if (!report.ok) {
    throw new CliError(EXIT.INTEGRITY, `verify failed: ${report.damaged.length} damaged chunks, ${report.damagedFiles.length} damaged files`);
  }
}

export async function runRestore(flags: RepoFlags & Json & { snapshot?: string; recoveryPoint?: string; to: string }): Promise<void> {
  if (Boolean(flags.snapshot) === Boolean(flags.recoveryPoint)) {
    throw new CliError(EXIT.USAGE, 'give either --snapshot ID or --recovery-point NAME');
  }
  const repo = await openRepo(flags);
  const to = path.resolve(flags.to);
  const snapshot = flags.snapshot ?? (await findRecoveryPoint(repo, flags.recoveryPoint!));
  const status = statusLine('restore', 'bytes');
  const result = await interruptible((signal) => restoreRegistry(repo, snapshot, to, { onProgress: status.onProgress, signal })).finally(
    status.clear,
  );
  if (flags.json) {
    printJson({ snapshot: result.snapshot, to, files: result.files, bytes: result.bytes });
    return;
  }
  say(`restored snapshot ${shortId(result.snapshot)} into ${to}: ${result.files} files, ${formatBinarySize(result.bytes)}\n`);
  note(`start the registry on it with TORSH_DATA_DIR=${to} (its blobs are in ${path.join(to, 'blobs')}: leave TORSH_STORAGE unset)\n`);
}

export async function runForget(flags: RepoFlags & PolicyFlags & Json & { dryRun?: boolean; prune?: boolean }): Promise<void> {
  const policy = policyFromFlags(flags);
  const repo = await openRepo(flags);
  const byId = async () => new Map<string, Snapshot>((await repo.listSnapshots()).map((s) => [s.id, s]));
  if (flags.dryRun) {
    const plan = await planForget(repo, policy, Date.now());
    if (flags.json) printJson(forgetJson(plan, true));
    else say(forgetText(plan, await byId(), true));
    return;
  }
  const snapshots = flags.json ? new Map<string, Snapshot>() : await byId();
  // Planned and applied under one exclusive lock: a backup that lands meanwhile is judged too.
  const applied = await applyRetention(repo, policy, Date.now());
  const removed = applied.remove;
  const status = statusLine('prune', 'steps');
  const pruned = flags.prune
    ? await interruptible((signal) => pruneRepository(repo, { onProgress: status.onProgress, signal })).finally(status.clear)
    : null;
  if (flags.json) {
    printJson({ ...forgetJson(applied, false), removed, prune: pruned ? pruneJson(pruned) : null });
    return;
  }
  say(forgetText(applied, snapshots, false));
  say(`removed ${removed.length} snapshots\n`);
  if (pruned) say(pruneText(pruned));
  else if (removed.length > 0) note('their data stays until torsh backup prune runs\n');
}

export async function runPrune(flags: RepoFlags & Json): Promise<void> {
  const repo = await openRepo(flags);
  const status = statusLine('prune', 'steps');
  const report = await interruptible((signal) => pruneRepository(repo, { onProgress: status.onProgress, signal })).finally(status.clear);
  if (flags.json) printJson(pruneJson(report));
  else say(pruneText(report));
}

export async function runKeyList(flags: RepoFlags & Json): Promise<void> {
  const repo = await openRepo(flags);
  const keys = await repo.listKeys();
  if (flags.json) printJson(keys.map(keyJson));
  else say(`${keyTable(keys)}\n`);
}

export async function runKeyAdd(flags: RepoFlags & { newPasswordFile?: string; label?: string }): Promise<void> {
  const repo = await openRepo(flags);
  const password = await backupPassword({
    file: flags.newPasswordFile,
    envName: NEW_PASSWORD_ENV,
    flag: '--new-password-file',
    what: 'New password',
    confirm: true,
  });
  const id = await repo.addKey(password, flags.label);
  say(`added key ${shortId(id)}\n`);
}

export async function runKeyRemove(prefix: string, flags: RepoFlags): Promise<void> {
  const repo = await openRepo(flags);
  const matches = (await repo.listKeys()).filter((k) => k.id.startsWith(prefix));
  if (matches.length === 0) throw new CliError(EXIT.NOT_FOUND, `no key ${prefix} in this repository`);
  if (matches.length > 1) throw new CliError(EXIT.USAGE, `${prefix} names ${matches.length} keys: give more of the id`);
  await repo.removeKey(matches[0].id);
  say(`removed key ${shortId(matches[0].id)}\n`);
}
