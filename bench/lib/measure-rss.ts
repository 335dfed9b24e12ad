// Samples the resident set of a process tree from /proc (Linux only).
import { readdirSync, readFileSync } from 'node:fs';

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** `root` and all its live descendants, found through the ppid field of /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name (field 2) is parenthesised and may contain spaces; fields after it are plain.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** One VmRSS reading of the tree: largest process and sum (bytes). */
export function rssNow(root: number): { largestBytes: number; sumBytes: number; processes: number } {
  let largestBytes = 0;
  let sumBytes = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    const kb = readStatusKb(pid, 'VmRSS');
    if (kb === null) continue;
    processes++;
    sumBytes += kb * 1024;
    largestBytes = Math.max(largestBytes, kb * 1024);
  }
  return { largestBytes, sumBytes, processes };
}

export type PhasePeak = { phase: string; peakBytes: number };

export type RssReport = {
  /** Peak sampled VmRSS of the largest single process (bytes). */
  maxProcessBytes: number;
  /** Peak sampled sum of VmRSS over the tree (bytes). */
  maxSumBytes: number;
  /** The kernel's VmHWM of the largest process, read at stop(): its peak since it started, samples or not. */
  hwmBytes: number;
  /** Peak sampled VmRSS of the largest process within each phase, in the order the phases ran. */
  phases: PhasePeak[];
  samples: number;
  processes: number;
};

/** Samples VmRSS of every process in the tree every `intervalMs` from start() to stop(), per named phase. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private maxProcess = 0;
  private maxSum = 0;
  private samples = 0;
  private seen = new Set<number>();
  private phases: PhasePeak[] = [];

  constructor(private readonly root: number, private readonly intervalMs = 100) {}

  start(phase: string): void {
    this.phase(phase);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Ends the current phase (with one last sample) and starts counting `name`. */
  phase(name: string): void {
    if (this.phases.length > 0) this.sample();
    this.phases.push({ phase: name, peakBytes: 0 });
    this.sample();
  }

  private sample(): void {
    let sum = 0;
    let largest = 0;
    for (const pid of processTree(this.root)) {
      const kb = readStatusKb(pid, 'VmRSS');
      if (kb === null) continue;
      this.seen.add(pid);
      sum += kb * 1024;
      largest = Math.max(largest, kb * 1024);
    }
    this.maxProcess = Math.max(this.maxProcess, largest);
    this.maxSum = Math.max(this.maxSum, sum);
    const current = this.phases[this.phases.length - 1];
    if (current) current.peakBytes = Math.max(current.peakBytes, largest);
    this.samples++;
  }

  stop(): RssReport {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    let hwm = 0;
    for (const pid of processTree(this.root)) hwm = Math.max(hwm, (readStatusKb(pid, 'VmHWM') ?? 0) * 1024);
    return {
      maxProcessBytes: this.maxProcess,
      maxSumBytes: this.maxSum,
      hwmBytes: hwm,
      phases: this.phases,
      samples: this.samples,
      processes: this.seen.size,
    };
  }
}
