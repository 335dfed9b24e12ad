import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { AppError } from '../../errors';
import type { LockMode, RepoBackend, RepoLock } from '../types';
import { LOCKS_PREFIX, listIds, lockKey } from './layout';

/** `locks/<id>`, plaintext JSON. */
export type LockFile = {
  version: number;
  mode: LockMode;
  operation: string;
  host: string;
  pid: number;
  createdAt: number;
  refreshedAt: number;
};

export const LOCK_REFRESH_MS = 5 * 60_000;
export const LOCK_STALE_MS = 30 * 60_000;
/** A newer conflicting lock is a writer racing us: it backs off; wait this long for it to go. */
const RACE_WAIT_MS = 1_000;
const RACE_POLL_MS = 50;

export type LockDeps = {
  backend: RepoBackend;
  now: () => number;
  hostname?: string;
  pid?: number;
  /** Whether a process of this host runs (default: process.kill(pid, 0)). */
  pidAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
};

function defaultPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function conflicts(a: LockMode, b: LockMode): boolean {
  return a === 'exclusive' || b === 'exclusive';
}

/** Older first: by createdAt, then id. */
function older(a: { id: string; f: LockFile }, b: { id: string; f: LockFile }): boolean {
  return a.f.createdAt < b.f.createdAt || (a.f.createdAt === b.f.createdAt && a.id < b.id);
}

function describe(f: LockFile, now: number): string {
  const age = Math.max(0, Math.round((now - f.createdAt) / 1000));
  return `${f.mode} lock for "${f.operation}" held by pid ${f.pid} on ${f.host} for ${age} s`;
}

async function readLock(backend: RepoBackend, id: string): Promise<LockFile | null> {
  const raw = await backend.get(lockKey(id));
  if (!raw) return null;
  try {
    return JSON.parse(raw.toString('utf8')) as LockFile;
  } catch {
    // A lock file that does not parse is treated as a live exclusive lock of unknown origin.
    return { version: 1, mode: 'exclusive', operation: 'unknown', host: '?', pid: 0, createdAt: 0, refreshedAt: Number.MAX_SAFE_INTEGER };
  }
}

/**
 * Take a lock: write `locks/<id>`, then list the others. Stale locks (not refreshed for 30 min,
 * or from this host with a dead pid) are removed. A conflicting older lock: ours is removed and
 * BACKUP_REPO_LOCKED names the holder. A conflicting newer lock is another writer in the same
 * race (it sees ours as older and backs off): wait briefly for it to go, else back off too.
 */
export async function acquireLock(deps: LockDeps, mode: LockMode, operation: string): Promise<RepoLock> {
  const { backend, now } = deps;
  const host = deps.hostname ?? os.hostname();
  const pid = deps.pid ?? process.pid;
  const pidAlive = deps.pidAlive ?? defaultPidAlive;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const id = randomBytes(32).toString('hex');
  const t = now();
  const mine: LockFile = { version: 1, mode, operation, host, pid, createdAt: t, refreshedAt: t };
  await backend.putIfAbsent(lockKey(id), Buffer.from(JSON.stringify(mine)));

  const isStale = (f: LockFile) => now() - f.refreshedAt > LOCK_STALE_MS || (f.host === host && f.pid > 0 && f.pid !== pid && !pidAlive(f.pid));

  const backOff = async (holder: LockFile): Promise<never> => {
    await backend.delete(lockKey(id)).catch(() => {});
    throw new AppError('BACKUP_REPO_LOCKED', `backup repository ${backend.location} is locked: ${describe(holder, now())}`, {
      location: backend.location,
      operation: holder.operation,
      host: holder.host,
      pid: holder.pid,
      mode: holder.mode,
      ageMs: Math.max(0, now() - holder.createdAt),
    });
  };

  try {
    for (let waited = 0; ; waited += RACE_POLL_MS) {
      const live: { id: string; f: LockFile }[] = [];
      for (const other of await listIds(backend, LOCKS_PREFIX)) {
        if (other === id) continue;
        const f = await readLock(backend, other);
        if (!f) continue;
        if (isStale(f)) await backend.delete(lockKey(other));
        else if (conflicts(mode, f.mode)) live.push({ id: other, f });
      }
      let newer: LockFile | null = null;
      for (const other of live) {
        if (older(other, { id, f: mine })) await backOff(other.f);
        newer ??= other.f;
      }
      if (!newer) break;
      if (waited >= RACE_WAIT_MS) await backOff(newer);
      await sleep(RACE_POLL_MS);
    }
  } catch (err) {
    await backend.delete(lockKey(id)).catch(() => {});
    throw err;
  }

  let released = false;
  let refreshing: Promise<void> | null = null;
  const timer = setInterval(() => {
    mine.refreshedAt = now();
    refreshing = backend.put(lockKey(id), Buffer.from(JSON.stringify(mine))).catch(() => {});
  }, LOCK_REFRESH_MS);
  timer.unref();
  return {
    id,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await refreshing;
      await backend.delete(lockKey(id));
    },
  };
}
