import { cleanLine } from './sanitize';

/**
 * A transfer's progress on stderr: a redrawn bar (bytes, %, speed, ETA) when stderr is a TTY,
 * else one plain line at the end, so logs of CI jobs stay readable.
 */
export type Progress = {
  /** Bytes done so far (absolute, including any resumed start). */
  update(done: number): void;
  /** Sets or changes the expected total (e.g. once response headers arrive). */
  setTotal(total: number | null): void;
  /** Bytes that were already there before this run (a resumed download): not counted in the speed. */
  setStart(start: number): void;
  finish(note?: string): void;
  /** Erases the bar for a message (a retry notice); the next update draws it again. */
  interrupt(): void;
  /** Clears the bar without a final line (an error message follows). */
  abort(): void;
};

function scaled(bytes: number, base: number, units: string[]): string {
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** Decimal units (MB = 10⁶ bytes), as transfer speeds usually are. */
export const formatSize = (bytes: number) => scaled(bytes, 1000, ['B', 'KB', 'MB', 'GB', 'TB']);

/** Binary units (MiB = 2²⁰ bytes), as stored sizes are shown across the app (backup repositories, snapshots). */
export const formatBinarySize = (bytes: number) => scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

type Options = { stream?: NodeJS.WriteStream; total?: number | null; tty?: boolean; now?: () => number };

export function createProgress(rawLabel: string, opts: Options = {}): Progress {
  const label = cleanLine(rawLabel);
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const now = opts.now ?? (() => performance.now());
  let total = opts.total ?? null;
  let start = 0;
  let done = 0;
  const startedAt = now();
  let lastDraw = 0;
  let drawn = false;
  let ended = false;

  const rate = () => {
    const seconds = (now() - startedAt) / 1000;
    return seconds > 0 ? (done - start) / seconds : 0;
  };

  const line = () => {
    const speed = rate();
    const parts = [label];
    if (total !== null && total > 0) {
      const fraction = Math.min(1, done / total);
      const filled = Math.round(fraction * BAR_WIDTH);
      parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`, `${(fraction * 100).toFixed(0).padStart(3)}%`);
      parts.push(`${formatSize(done)} / ${formatSize(total)}`);
      parts.push(`${formatSize(speed)}/s`, `ETA ${formatDuration(speed > 0 ? (total - done) / speed : Infinity)}`);
    } else {
      parts.push(formatSize(done), `${formatSize(speed)}/s`);
    }
    return parts.join('  ');
  };

  const draw = () => {
    const width = stream.columns || 100;
    stream.write(`\r${line().slice(0, width - 1)}\x1b[K`);
    drawn = true;
  };

  return {
    update(value) {
      done = value;
      if (!tty || ended) return;
      const t = now();
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      draw();
    },
    setTotal(value) {
      total = value;
    },
    setStart(value) {
      start = value;
      done = Math.max(done, value);
    },
    finish(note) {
      if (ended) return;
      ended = true;
      const seconds = (now() - startedAt) / 1000;
      const resumed = start > 0 ? `, resumed at ${formatSize(start)}` : '';
      const summary = `${label}: ${formatSize(done)} in ${seconds.toFixed(1)} s (${formatSize(rate())}/s${resumed})${note ? `, ${note}` : ''}`;
      stream.write(tty && drawn ? `\r${summary}\x1b[K\n` : `${summary}\n`);
    },
    interrupt() {
      if (tty && drawn) stream.write('\r\x1b[K');
      drawn = false;
      lastDraw = 0;
    },
    abort() {
      if (ended) return;
      ended = true;
      if (tty && drawn) stream.write('\r\x1b[K');
    },
  };
}
