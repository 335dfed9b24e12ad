import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const TORSH = path.join(__dirname, '..', '..', '..', 'bin', 'torsh.mjs');
const READY = /> ToRSh Package Hub \((origin|mirror|edge)\) on (http:\/\/\S+)/;

export type RoleProcess = {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM (or the signal given) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Start `torsh serve --role …` as a real child process on loopback and wait for its ready line.
 * Without `--port` in args it takes a free port; pass the old port to restart in place.
 */
export function startRole(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<RoleProcess> {
  const withPort = args.includes('--port') ? args : [...args, '--port', '0'];
  const proc = spawn(process.execPath, [TORSH, 'serve', ...withPort, '--host', '127.0.0.1'], {
    env: { ...process.env, TORSH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`torsh serve ${args.join(' ')} did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = READY.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[2].replace('localhost', '127.0.0.1');
      resolve({
        url,
        port: Number(new URL(url).port),
        proc,
        output: () => out,
        async stop(signal = 'SIGTERM') {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          await exited;
        },
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`torsh serve ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** An admin API token on an origin started with TORSH_ADMIN_PASSWORD (POST /api/v1/auth/tokens). */
export async function adminToken(originUrl: string, password: string): Promise<string> {
  const res = await fetch(`${originUrl}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password, name: 'test' }),
  });
  if (!res.ok) throw new Error(`issuing an admin token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
