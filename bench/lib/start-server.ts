// Starts the registry the way users do (`node bin/start.mjs`, which builds first when stale).
import path from 'node:path';
import { freePort, startService, type Service } from './service';

export type Server = Service;

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
    args: [path.join(opts.root, 'bin', 'start.mjs')],
    cwd: opts.root,
    env,
    port,
    healthPath: '/api/v1/health',
    logFile: opts.logFile,
    timeoutMs: 10 * 60_000,
    onSpawn: opts.onSpawn,
  });
}
