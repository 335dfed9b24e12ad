import type { Command } from 'commander';
import { loadConfig, type Config, type GlobalFlags } from './config';
import { CliError, EXIT } from './exit-codes';

/** The resolved config of a command (its flags merged with the program's global ones). */
export function configOf(cmd: Command): Promise<Config> {
  return loadConfig(cmd.optsWithGlobals<GlobalFlags>());
}

/** `name@version`, `name@^1.2`, `name@latest` or a bare `name` (= latest). */
export function parseSpec(spec: string): { name: string; selector: string } {
  const at = spec.indexOf('@');
  const name = at < 0 ? spec : spec.slice(0, at);
  const selector = at < 0 ? 'latest' : spec.slice(at + 1);
  if (!name || !selector) throw new CliError(EXIT.USAGE, `expected <name>@<version>, got ${JSON.stringify(spec)}`);
  return { name, selector };
}

/** Prints JSON or text to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
