import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../errors';
import { listIds } from './layout';
import { LOCK_REFRESH_MS, LOCK_STALE_MS, acquireLock, type LockFile } from './repo-lock';
import { tempRepoDirs } from './test-support/temp-repo';

const repos = tempRepoDirs();
afterAll(() => repos.cleanup());

const noSleep = () => Promise.resolve();

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

async function lockError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('repository lock', () => {
  it('shared locks coexist; exclusive conflicts both ways, naming the holder', async () => {
    const backend = await repos.backend();
    const deps = { backend, now: () => 1_000_000, sleep: noSleep };
    const a = await acquireLock(deps, 'shared', 'backup');
    const b = await acquireLock(deps, 'shared', 'verify');
    const err = await lockError(acquireLock(deps, 'exclusive', 'prune'));
    expect(err.code).toBe('BACKUP_REPO_LOCKED');
    expect(err.message).toMatch(/shared lock for "(backup|verify)" held by pid \d+ on /);
    expect(err.details).toMatchObject({ host: os.hostname(), pid: process.pid });
    await a.release();
    await b.release();
    expect(await listIds(backend, 'locks/')).toEqual([]);
    const x = await acquireLock(deps, 'exclusive', 'prune');
    const e2 = await lockError(acquireLock(deps, 'shared', 'backup'));
    expect(e2.message).toContain('exclusive lock for "prune"');
    expect(await listIds(backend, 'locks/')).toEqual([x.id]);
    await x.release();
    await x.release();
  });

  it('two exclusive writers racing: exactly one wins', async () => {
    const backend = await repos.backend();
    let t = 5_000;
    const deps = { backend, now: () => t++ };
    const results = await Promise.allSettled([acquireLock(deps, 'exclusive', 'prune'), acquireLock(deps, 'exclusive', 'forget')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won.length).toBe(1);
    expect((lost[0].reason as AppError).code).toBe('BACKUP_REPO_LOCKED');
    const held = (won[0] as PromiseFulfilledResult<{ id: string; release(): Promise<void> }>).value;
    expect(await listIds(backend, 'locks/')).toEqual([held.id]);
    await held.release();
  });

  it('takes over a lock whose process on this host is dead, and one not refreshed for 30 min', async () => {
    const backend = await repos.backend();
    const now = 100 * LOCK_STALE_MS;
    const dead: LockFile = { version: 1, mode: 'exclusive', operation: 'prune', host: os.hostname(), pid: deadPid(), createdAt: now, refreshedAt: now };
    await backend.put('locks/dead', Buffer.from(JSON.stringify(dead)));
    const old: LockFile = { ...dead, host: 'elsewhere', pid: 1, refreshedAt: now - LOCK_STALE_MS - 1 };
    await backend.put('locks/old', Buffer.from(JSON.stringify(old)));
    const live: LockFile = { ...dead, host: 'elsewhere', pid: 1, refreshedAt: now - 60_000, createdAt: now - 60_000 };
    await backend.put('locks/live', Buffer.from(JSON.stringify(live)));
    const deps = { backend, now: () => now, sleep: noSleep };
    const err = await lockError(acquireLock(deps, 'shared', 'backup'));
    expect(err.message).toContain('on elsewhere for 60 s');
    expect((await listIds(backend, 'locks/')).sort()).toEqual(['live']);
    await backend.delete('locks/live');
    const l = await acquireLock(deps, 'exclusive', 'prune');
    await l.release();
  });

  it('refreshes a held lock every 5 minutes so it never looks stale', async () => {
    const backend = await repos.backend();
    let t = 1_000;
    const held = await acquireLock({ backend, now: () => t }, 'shared', 'backup');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const l = await acquireLock({ backend, now: () => t }, 'shared', 'verify');
      t += LOCK_REFRESH_MS;
      vi.advanceTimersByTime(LOCK_REFRESH_MS);
      await vi.waitFor(async () => {
        const f = JSON.parse((await backend.get(`locks/${l.id}`))!.toString()) as LockFile;
        expect(f.refreshedAt).toBe(t);
      });
      await l.release();
    } finally {
      vi.useRealTimers();
    }
    await held.release();
    expect(await listIds(backend, 'locks/')).toEqual([]);
  });
});
