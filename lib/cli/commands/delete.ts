import type { Command } from 'commander';
import { configOf, exactSpec, packageName } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { enc, requestJson } from '../http-client';
import { note, printJson } from '../output';
import { promptLine } from '../prompt';
import { cleanLine } from '../sanitize';

type DeleteOpts = { all?: boolean; yes?: boolean; json?: boolean };

/** A deletion is final (the version is tombstoned): the user types the package name, or passes --yes. */
async function confirm(name: string, what: string): Promise<void> {
  if (!process.stdin.isTTY) throw new CliError(EXIT.USAGE, `refusing to delete ${what} without confirmation: stdin is not a terminal; pass --yes`);
  note(`Deleting ${what} cannot be undone, and a deleted version can never be published again.\n`);
  const typed = await promptLine(`Type the package name (${name}) to confirm: `);
  if (typed.trim() !== name) throw new CliError(EXIT.USAGE, `the name typed does not match ${name}; nothing was deleted`);
}

export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('delete a version, or with --all every version of a package; the versions are tombstoned (never published again)')
    .argument('<spec>', 'name@version, or name with --all')
    .option('--all', 'delete every version of the package')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--json', 'print the registry answer as JSON')
    .action(async (spec: string, opts: DeleteOpts, cmd: Command) => {
      if (opts.all && spec.includes('@')) throw new CliError(EXIT.USAGE, `--all deletes a whole package: give its name without @version, got ${JSON.stringify(spec)}`);
      if (!opts.all && !spec.includes('@')) throw new CliError(EXIT.USAGE, `give name@version, or the name with --all to delete every version`);
      const target = opts.all ? { name: packageName(spec), version: null } : exactSpec(spec);
      const what = target.version ? `${target.name}@${target.version}` : `every version of ${target.name}`;
      const cfg = await configOf(cmd);
      if (!opts.yes) await confirm(target.name, what);
      const path = `/api/v1/packages/${enc(target.name)}${target.version ? `/${enc(target.version)}` : ''}`;
      const { body } = await requestJson<{ deleted_versions?: unknown }>(cfg, { method: 'DELETE', path });
      if (opts.json) return printJson(body);
      const versions = Array.isArray(body?.deleted_versions) ? body.deleted_versions : null;
      note(versions ? `deleted ${target.name}: ${versions.length} version${versions.length === 1 ? '' : 's'} (${cleanLine(versions.join(', '))})\n` : `deleted ${what}\n`);
    });
}
