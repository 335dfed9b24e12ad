// Background services for the benchmarks (the registry, nginx, Verdaccio): each in its own process
// group, logged to a file, polled until healthy, stopped by its own pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export type Service = { pid: number; port: number; baseUrl: string; logFile: string; stop: () => Promise<void> };

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

/** Signals the whole process group of `pid` (safe to call more than once). */
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

export type ServiceSpec = {
  name: string;
  cmd: string;
  args: string[];
  port: number;
  /** Path polled on 127.0.0.1:port until it answers `healthyStatus` (default 200). */
  healthPath: string;
  healthyStatus?: number;
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with the pid as soon as it exists (for emergency cleanup before the service is healthy). */
  onSpawn?: (pid: number) => void;
};

export async function startService(spec: ServiceSpec): Promise<Service> {
  const fd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.cmd, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${spec.name} (${spec.cmd})`);
  spec.onSpawn?.(pid);
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

  const baseUrl = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + (spec.timeoutMs ?? 60_000);
  while ((await getStatus(`${baseUrl}${spec.healthPath}`)) !== (spec.healthyStatus ?? 200)) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} ${exited ?? 'not healthy within the timeout'}; log tail:\n${tailOf(spec.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid, port: spec.port, baseUrl, logFile: spec.logFile, stop };
}
