import type { Command } from 'commander';
import { configOf, exactSpec } from '../context';
import { enc, requestJson } from '../http-client';
import { note, printJson } from '../output';

export function registerYank(program: Command): void {
  program
    .command('yank')
    .description('yank a version: it stays downloadable but ranges and "latest" skip it')
    .argument('<spec>', 'name@version')
    .option('--reason <text>', 'why (shown to users)')
    .option('--json', 'print the version metadata as JSON')
    .action(async (spec: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { name, version } = exactSpec(spec);
      const { body } = await requestJson(cfg, {
        method: 'POST',
        path: `/api/v1/packages/${enc(name)}/${enc(version)}/yank`,
        json: opts.reason ? { reason: opts.reason } : {},
      });
      if (opts.json) return printJson(body);
      note(`yanked ${name}@${version}\n`);
    });

  program
    .command('unyank')
    .description('undo a yank')
    .argument('<spec>', 'name@version')
    .option('--json', 'print the version metadata as JSON')
    .action(async (spec: string, opts: { json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { name, version } = exactSpec(spec);
      const { body } = await requestJson(cfg, { method: 'DELETE', path: `/api/v1/packages/${enc(name)}/${enc(version)}/yank` });
      if (opts.json) return printJson(body);
      note(`unyanked ${name}@${version}\n`);
    });
}
