import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'torsh.mjs');

export type CliResult = { code: number; stdout: string; stderr: string };

const homes: string[] = [];

/** Removes the homes made by cliHome (call from afterAll). */
export function removeHomes(): void {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A throwaway home for the CLI: config, cache and trust file all live in it (never the real home). */
export function cliHome(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'torsh-cli-home-'));
  homes.push(dir);
  mkdirSync(path.join(dir, 'home'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOME: path.join(dir, 'home'),
    TORSH_CONFIG: path.join(dir, 'config.json'),
    TORSH_CACHE_DIR: path.join(dir, 'cache'),
    TORSH_TRUST_FILE: path.join(dir, 'trusted_keys.json'),
  };
  return { dir, env };
}

export type SpawnOptions = {
  env: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  /** Run under a pseudo-terminal (util-linux `script`), so stdin is a TTY; `input` is typed into it. */
  tty?: boolean;
};

/** Runs `node bin/torsh.mjs <args>` and collects its output and exit code. */
export function runTorsh(args: string[], opts: SpawnOptions): Promise<CliResult> {
  const argv = [BIN, ...args];
  const [command, commandArgs] = opts.tty
    ? ['script', ['-qec', [process.execPath, ...argv].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' '), '/dev/null']]
    : [process.execPath, argv];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: opts.cwd ?? ROOT, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
