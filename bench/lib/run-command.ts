import { spawn, spawnSync } from 'node:child_process';
import { secondsSince } from './format';

export type CommandResult = { code: number | null; stdout: string; stderr: string; seconds: number };

/** Runs a command to completion, capturing its output and wall time (never rejects on a non-zero exit). */
export function runCommand(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: secondsSince(t0) }));
  });
}

/** As runCommand, but a non-zero exit is an error carrying the command's stderr. */
export async function runChecked(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  const r = await runCommand(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args[0] ?? ''} exited with ${r.code}: ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return r;
}

/** `sync`: flushes written files, so background writeback does not compete with the next measurement. */
export function syncDisks(): void {
  spawnSync('sync', { stdio: 'ignore' });
}
