// Starts the registry the way users do (`npm start`: node with the flags of package.json's start
// script, then bin/start.mjs, which builds first when stale).
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
