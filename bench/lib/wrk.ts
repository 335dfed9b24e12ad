// Load generation with wrk (-t2 -c64 by default); figures come from a Lua `done` hook, not from
// parsing wrk's human-readable report.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runChecked } from './run-command';

const MARK = 'TORSH_WRK_JSON ';

// %.0f, not %d: byte totals pass 2^31.
const DONE_HOOK = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK}{"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f,"p50_us":%.0f,"p99_us":%.0f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

export type WrkResult = {
  requests: number;
  seconds: number;
  bytes: number;
  reqPerSec: number;
  bytesPerSec: number;
  /** wrk's "Non-2xx or 3xx responses" (it counts every status ≥ 400). */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
  p50Ms: number;
  p99Ms: number;
};

export type WrkOptions = { seconds: number; threads?: number; connections?: number; headers?: Record<string, string>; timeoutSeconds?: number };

/** Writes the Lua hook wrk reports through into `dir`; pass the returned path to runWrk. */
export function writeWrkScript(dir: string): string {
  const file = path.join(dir, 'report.lua');
  writeFileSync(file, DONE_HOOK);
  return file;
}

export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`wrk printed no report line:\n${stdout.slice(-2000)}`);
  const j = JSON.parse(line.slice(MARK.length)) as Record<string, number>;
  const seconds = j.duration_us / 1e6;
  return {
    requests: j.requests,
    seconds,
    bytes: j.bytes,
    reqPerSec: j.requests / seconds,
    bytesPerSec: j.bytes / seconds,
    non2xx: j.status,
    socketErrors: j.connect + j.read + j.write + j.timeout,
    p50Ms: j.p50_us / 1000,
    p99Ms: j.p99_us / 1000,
  };
}

export async function runWrk(url: string, script: string, opts: WrkOptions): Promise<WrkResult> {
  const args = [
    `-t${opts.threads ?? 2}`,
    `-c${opts.connections ?? 64}`,
    `-d${opts.seconds}s`,
    `--timeout`,
    `${opts.timeoutSeconds ?? 10}s`,
    '-s',
    script,
    ...Object.entries(opts.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  const r = await runChecked('wrk', args);
  return parseWrkOutput(r.stdout);
}
