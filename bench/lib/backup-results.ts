// Renders one backup benchmark run (bench/backup.ts) as a Markdown block for RESULTS.md.
import { fmt, MB, mem } from './format';
import { goalText, judge, type Goal } from './targets';

export const BACKUP_TARGETS = {
  backupVsRestic: { atLeast: 1.0, unit: '×' },
  storedVsRestic: { atMost: 1.0, unit: '×' },
  restoreVsRestic: { atLeast: 1.0, unit: '×' },
} satisfies Record<string, Goal>;

/** One timed command: wall seconds and the peak RSS of its process. */
export type Timed = { seconds: number; peakRssBytes: number };

export type ToolRun = {
  first: Timed;
  /** Repository size after the first backup, and what the second one added. */
  storedFirst: number;
  second: Timed;
  storedIncrement: number;
  restore: Timed;
};

export type MicroRow = { label: string; value: string };

export type BackupRun = {
  date: string;
  quick: boolean;
  machine: string;
  loadBefore: number;
  resticVersion: string;
  /** Bytes in the data directory at the first backup and at the second. */
  logicalFirst: number;
  logicalSecond: number;
  /** Bytes the new versions changed (overwritten + inserted) in the models. */
  changedBytes: number;
  modelBytes: number;
  models: string;
  restoredBytes: number;
  restoreIdentical: boolean;
  ours: ToolRun;
  restic: ToolRun;
  micro: MicroRow[];
};

const rate = (bytes: number, t: Timed) => bytes / t.seconds / MB;
const cell = (s: string) => s.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;

/** [measurement, ours, restic, ours / restic, goal, result]. */
export function comparisonRows(run: BackupRun): string[][] {
  const { ours, restic } = run;
  const rows: string[][] = [];
  const add = (label: string, o: number, r: number, show: (n: number) => string, goal: Goal | null) => {
    const ratio = o / r;
    rows.push([label, show(o), show(r), `${fmt(ratio, 2)}×`, goal ? goalText(goal) : '—', goal ? judge(ratio, goal).text : '—']);
  };
  const mbs = (n: number) => `${fmt(n)} MB/s`;
  add('first backup, throughput', rate(run.logicalFirst, ours.first), rate(run.logicalFirst, restic.first), mbs, BACKUP_TARGETS.backupVsRestic);
  add('first backup, stored bytes', ours.storedFirst, restic.storedFirst, mem, BACKUP_TARGETS.storedVsRestic);
  add('second backup (5 % changed), throughput over the whole data dir', rate(run.logicalSecond, ours.second), rate(run.logicalSecond, restic.second), mbs, null);
  add('second backup, stored increment', ours.storedIncrement, restic.storedIncrement, mem, BACKUP_TARGETS.storedVsRestic);
  add('full restore, throughput', rate(run.restoredBytes, ours.restore), rate(run.restoredBytes, restic.restore), mbs, BACKUP_TARGETS.restoreVsRestic);
  for (const [label, key] of [['first backup', 'first'], ['second backup', 'second'], ['restore', 'restore']] as const) {
    add(`peak RSS, ${label}`, ours[key].peakRssBytes, restic[key].peakRssBytes, mem, null);
  }
  return rows;
}

export function backupSection(run: BackupRun): string {
  const secs = (t: Timed) => `${fmt(t.seconds, 2)} s`;
  return [
    `### Run ${run.date}${run.quick ? ' (quick)' : ''}`,
    '',
    `Machine: ${run.machine}. 1-min load average before the run: ${fmt(run.loadBefore, 2)}${run.loadBefore > 0.5 ? ' (machine not idle: figures are skewed)' : ''}.`,
    `Data: a registry data directory (SQLite + local blob store) with ${run.models}, published through the engine as packages: ` +
      `${mem(run.logicalFirst)} at the first backup. Then 1.1.0 of every model, differing from 1.0.0 in ${fmt((run.changedBytes / run.modelBytes) * 100, 1)} % ` +
      `of its bytes (four overwrites spread through the file and one insertion that shifts the rest): ${mem(run.logicalSecond)} at the second backup. ` +
      `Ours through the CLI (\`node bin/torsh.mjs backup create|restore\`, wall time including Node's start); ${run.resticVersion} ` +
      '(`restic backup --compression auto`, repository version 2) on the same directory in the same run, each with a fresh repository on the same disk. ' +
      `Restore: the second snapshot into an empty directory (${mem(run.restoredBytes)}); ours byte-identical: ${run.restoreIdentical ? 'yes' : 'NO'}.`,
    '',
    '| measurement | ours | restic | ours / restic | goal | result |',
    '|---|---|---|---|---|---|',
    ...comparisonRows(run).map(row),
    '',
    `Wall times: ours ${secs(run.ours.first)} / ${secs(run.ours.second)} / restore ${secs(run.ours.restore)}; ` +
      `restic ${secs(run.restic.first)} / ${secs(run.restic.second)} / restore ${secs(run.restic.restore)}.`,
    '',
    ...(run.micro.length > 0 ? ['| chunking and packing (one thread, CPU time) | figure |', '|---|---|', ...run.micro.map((m) => row([m.label, m.value])), ''] : []),
  ].join('\n');
}
