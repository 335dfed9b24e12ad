import type { BackupProgress, OnProgress } from '@/lib/engine/backup/types';
import { cleanLine } from '../sanitize';
import { formatBinarySize } from '../progress';

const REDRAW_MS = 200;

export type StatusLine = { onProgress: OnProgress; clear(): void };

/**
 * The engine's progress as one redrawn stderr line, only when stderr is a terminal: logs and
 * `--json` runs stay free of it (the command prints its summary when done).
 */
export function statusLine(label: string, unit: 'bytes' | 'steps', opts: { stream?: NodeJS.WriteStream; now?: () => number } = {}): StatusLine {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? (() => performance.now());
  if (!stream.isTTY) return { onProgress: () => {}, clear: () => {} };
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  const text = (p: BackupProgress) => {
    const n = (v: number) => (unit === 'bytes' ? formatBinarySize(v) : String(v));
    const count = p.total !== null && p.total > 0 ? `${n(p.done)} / ${n(p.total)} (${Math.min(100, Math.floor((p.done / p.total) * 100))}%)` : n(p.done);
    return cleanLine(`${label}: ${count}${p.message ? `  ${p.message}` : ''}`);
  };
  return {
    onProgress(p) {
      const t = now();
      if (t - last < REDRAW_MS) return;
      last = t;
      stream.write(`\r${text(p).slice(0, (stream.columns || 100) - 1)}\x1b[K`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/**
 * An AbortSignal raised by the first Ctrl-C (the engine stops, releases its lock and leaves the
 * repository consistent); a second Ctrl-C exits at once.
 */
export async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ninterrupted: stopping (Ctrl-C again to quit at once)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
