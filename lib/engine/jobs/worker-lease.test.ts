import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { getJob, listJobs } from './list-jobs';
import { createSqliteQueue } from './sqlite-queue';
import { startWorker } from './worker';

const CHILD = path.join(__dirname, 'test-support', 'hanging-worker.ts');
const LEASE_MS = 60_000;

let child: ChildProcess | null = null;

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

/** Resolves with the first `claimed …` line the child prints. */
function waitForClaim(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('claimed '));
      if (line) resolve(line);
    });
    proc.stderr!.on('data', (d) => (err += d));
    proc.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before claiming: ${err}`)));
  });
}

it('a job whose worker process is killed runs again once its lease has expired, and completes once', async () => {
  const clock = manualClock(Date.now());
  const parent = await tempEngine({}, { clock: clock.now });
  try {
    // The child opens the same database file (its own engine, its own real clock).
    const { id } = createSqliteQueue(parent).enqueue('lease-test', { n: 1 });

    child = spawn(process.execPath, ['--import', 'tsx', CHILD, parent.dataDir, String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(await waitForClaim(child)).toBe(`claimed ${id} 1`);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const held = getJob(parent, id);
    expect(held).toMatchObject({ state: 'running', attempts: 1 });
    expect(held.workerId).toMatch(/^child-/);

    const runs: number[] = [];
    const worker = startWorker(parent, [{ kind: 'lease-test', run: async ({ job }) => (runs.push(job.attempts), 'done') }], { manual: true, workerId: 'parent' });
    clock.set(held.leaseUntil! - 1);
    await worker.tick();
    expect(runs).toEqual([]); // the dead worker's lease still holds

    clock.set(held.leaseUntil! + 1);
    await worker.tick();
    await worker.tick();
    expect(runs).toEqual([2]);
    const done = getJob(parent, id);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, workerId: 'parent' });
    expect(done.lastError).toMatch(/lease expired: worker child-/);
    expect(listJobs(parent, { state: 'succeeded' }).total).toBe(1);
    expect(listJobs(parent).total).toBe(1);
    await worker.stop();
  } finally {
    await parent.cleanup();
  }
}, 30_000);
