import { vi } from 'vitest';

/**
 * Keep what the process writes to stderr and stdout (log lines) in these arrays instead of the
 * terminal, so a test can check no secret was logged; `vi.restoreAllMocks()` ends it.
 */
export function collectOutput(stderr: string[], stdout: string[]): void {
  const grab = (into: string[]) => (chunk: unknown) => {
    into.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stderr, 'write').mockImplementation(grab(stderr) as never);
  vi.spyOn(process.stdout, 'write').mockImplementation(grab(stdout) as never);
}
