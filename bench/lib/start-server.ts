// Starts the registry the way users do (`npm start`: node with the flags of package.json's start
// script, then bin/start.mjs, which builds first when stale).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_ADMIN_PASSWORD } from './admin-token';
import { freePort, startService, type Service } from './service';

export type Server = Service;

/** The node flags of `npm start` (the V8 heap cap), read from package.json so both stay one. */
function startFlags(root: string): string[] {
  const script: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  return script.split(/\s+/).filter((word) => word.startsWith('--'));
}

export async function startServer(opts: {
  root: string;
  dataDir: string;
  logFile: string;
  onSpawn?: (pid: number) => void;
  /** Extra environment for the server (e.g. TORSH_ADMIN_PASSWORD). */
  env?: Record<string, string>;
}): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), TORSH_DATA_DIR: opts.dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.TORSH_SKIP_BUILD;
  Object.assign(env, opts.env);
  return startService({
    name: 'the registry (bin/start.mjs)',
    cmd: process.execPath,
    args: [...startFlags(opts.root), path.join(opts.root, 'bin', 'start.mjs')],
    cwd: opts.root,
    env,
    port,
    healthPath: '/api/v1/health',
    logFile: opts.logFile,
    timeoutMs: 10 * 60_000,
    onSpawn: opts.onSpawn,
  });
}

/**
 * `torsh serve <args>` (headless: the same HTTP server and byte paths as `npm start`, without Next's
 * pages) on a free loopback port, with the bench admin password and warnings-only logs.
 */
export async function startTorshServe(opts: {
  root: string;
  /** What follows `serve`: the role, its data directory, its origin… (the port and host are added). */
  args: string[];
  logFile: string;
  name?: string;
  env?: Record<string, string>;
  onSpawn?: (pid: number) => void;
}): Promise<Server> {
  const port = await freePort();
  return startService({
    name: opts.name ?? `torsh serve ${opts.args.join(' ')}`,
    cmd: process.execPath,
    args: [path.join(opts.root, 'bin', 'torsh.mjs'), 'serve', ...opts.args, '--port', String(port), '--host', '127.0.0.1'],
    cwd: opts.root,
    env: { ...process.env, ...opts.env, TORSH_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, TORSH_LOG_LEVEL: 'warn' },
    port,
    healthPath: '/api/v1/health',
    logFile: opts.logFile,
    timeoutMs: 60_000,
    onSpawn: opts.onSpawn,
  });
}
