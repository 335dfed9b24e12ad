// Starts the app the way users do (`node bin/start.mjs`) in its own process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export type Server = { pid: number; port: number; baseUrl: string; logFile: string; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export function tailOf(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Kills the whole process group synchronously (safe to call more than once). */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startServer(opts: {
  root: string;
  dataDir: string;
  logFile: string;
  timeoutMs?: number;
  onSpawn?: (pid: number) => void;
  /** Extra environment for the server (e.g. TORSH_ADMIN_PASSWORD). */
  env?: Record<string, string>;
}): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), TORSH_DATA_DIR: opts.dataDir, NEXT_TELEMETRY_DISABLED: '1' };
  delete env.TORSH_SKIP_BUILD;
  Object.assign(env, opts.env);
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [path.join(opts.root, 'bin', 'start.mjs')], {
      cwd: opts.root,
      env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn bin/start.mjs');
  opts.onSpawn?.(pid);
  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });

  const stop = async () => {
    if (!groupAlive(pid)) return;
    killGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  while (true) {
    if (exited) {
      await stop();
      throw new Error(`server ${exited} before becoming healthy; log tail:\n${tailOf(opts.logFile)}`);
    }
    if ((await getStatus(`${baseUrl}/api/v1/health`)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not healthy within the timeout; log tail:\n${tailOf(opts.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid, port, baseUrl, logFile: opts.logFile, stop };
}
