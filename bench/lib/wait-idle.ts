// Waits for a process tree to stop using the CPU: a server may still be working off the backlog
// of the previous load run after wrk has gone, which would skew the next measurement.
import { readFileSync } from 'node:fs';
import { processTree } from './measure-rss';

const TICKS_PER_SECOND = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** CPU seconds (user + system) used so far by `root` and its live descendants. */
export function cpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // exited meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * Resolves once `root` used under `maxCores` of CPU over a `windowMs` window (or after
 * `timeoutMs`, returning false); the seconds waited are in the result.
 */
export async function waitForIdle(root: number, opts: { maxCores?: number; windowMs?: number; timeoutMs?: number } = {}): Promise<{ idle: boolean; seconds: number }> {
  const windowMs = opts.windowMs ?? 1000;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  const t0 = Date.now();
  let before = cpuSeconds(root);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = cpuSeconds(root);
    if ((now - before) / (windowMs / 1000) < (opts.maxCores ?? 0.1)) return { idle: true, seconds: (Date.now() - t0) / 1000 };
    before = now;
  }
  return { idle: false, seconds: (Date.now() - t0) / 1000 };
}
