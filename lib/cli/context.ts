import type { Command } from 'commander';
import { isValidPackageName, isValidVersion } from '../engine/format';
import { loadConfig, type Config, type GlobalFlags } from './config';
import { CliError, EXIT } from './exit-codes';

/** The resolved config of a command (its flags merged with the program's global ones). */
export function configOf(cmd: Command): Promise<Config> {
  return loadConfig(cmd.optsWithGlobals<GlobalFlags>());
}

/** A package name from the command line, checked before it goes into a URL or a file name. */
export function packageName(name: string): string {
  if (!isValidPackageName(name)) throw new CliError(EXIT.USAGE, `invalid package name ${JSON.stringify(name)}`);
  return name;
}

/** `name@version`, `name@^1.2`, `name@latest`, `name@<channel>` or a bare `name` (= latest). */
export function parseSpec(spec: string): { name: string; selector: string } {
  const at = spec.indexOf('@');
  const name = at < 0 ? spec : spec.slice(0, at);
  const selector = at < 0 ? 'latest' : spec.slice(at + 1);
  if (!name || !selector) throw new CliError(EXIT.USAGE, `expected <name>@<version>, got ${JSON.stringify(spec)}`);
  return { name: packageName(name), selector };
}

/** `name@<exact version>`. */
export function exactSpec(spec: string): { name: string; version: string } {
  const { name, selector } = parseSpec(spec);
  if (!spec.includes('@') || !isValidVersion(selector)) throw new CliError(EXIT.USAGE, `expected <name>@<exact version>, got ${JSON.stringify(spec)}`);
  return { name, version: selector };
}
