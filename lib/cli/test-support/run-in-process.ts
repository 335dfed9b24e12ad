import { main } from '../main';
import type { CliResult } from './run-torsh';

// The variables the CLI reads; an in-process run sees only the ones its test gives.
const CLI_ENV = /^(TORSH_|XDG_)|^HOME$/;

/**
 * Runs the CLI's main() inside this process: the same code and exit code as the binary without a
 * process start per command. Output is captured; stdin is not a terminal. One call at a time.
 */
export async function torshInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const saved = { ...process.env };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const captured = { stdout: '', stderr: '' };
  for (const key of Object.keys(process.env)) if (CLI_ENV.test(key)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (CLI_ENV.test(key) && value !== undefined) process.env[key] = value;
  for (const stream of ['stdout', 'stderr'] as const) {
    process[stream].write = ((chunk: string | Uint8Array) => {
      captured[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    const code = await main(['node', 'torsh', ...args]);
    return { code, ...captured };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
