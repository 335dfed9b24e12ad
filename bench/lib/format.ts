// Units and number formatting shared by every benchmark's output (MB = 10⁶ bytes, MiB = 2²⁰).
import os from 'node:os';

export const MB = 1e6;
export const MiB = 1024 * 1024;

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "253 MB (242 MiB)". */
export function mem(bytes: number): string {
  return `${fmt(bytes / MB)} MB (${fmt(bytes / MiB)} MiB)`;
}

/** A console logger that prefixes each line with the benchmark's name and the time of day. */
export function logger(prefix: string): (msg: string) => void {
  return (msg) => console.log(`[${prefix} ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/** Seconds since `t0` (a process.hrtime.bigint() reading). */
export function secondsSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** "2 × AMD EPYC…, 24 GiB, Node v20.20.0, load 0.12": the machine line of a results section. */
export function machineLine(load = os.loadavg()[0]): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${load.toFixed(2)}`;
}
