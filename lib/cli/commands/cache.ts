import type { Command } from 'commander';
import { configOf } from '../context';
import { note, printJson, say, table } from '../output';
import { PackageCache } from '../package-cache';
import { formatSize } from '../progress';

export function registerCache(program: Command): void {
  const cache = program.command('cache').description('the local package cache (content-addressed, LRU-bounded)');

  cache
    .command('ls')
    .description('list cached versions, most recently used first')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const { entries, totalBytes } = await new PackageCache(cfg.cacheDir, cfg.cacheMaxBytes).list();
      if (opts.json) return printJson({ dir: cfg.cacheDir, max_bytes: cfg.cacheMaxBytes, total_bytes: totalBytes, entries });
      if (entries.length > 0) {
        const rows = [
          ['PACKAGE', 'SIZE', 'LAST USED', 'SHA256'],
          ...entries.map((e) => [e.key, formatSize(e.size), new Date(e.last_used).toISOString().replace(/\.\d+Z$/, 'Z'), e.digest.slice(0, 16)]),
        ];
        say(`${table(rows)}\n`);
      }
      note(`${entries.length} entries, ${formatSize(totalBytes)} of ${formatSize(cfg.cacheMaxBytes)} in ${cfg.cacheDir}\n`);
    });

  cache
    .command('clear')
    .description('remove every cached package')
    .action(async (_opts: unknown, cmd: Command) => {
      const cfg = await configOf(cmd);
      const removed = await new PackageCache(cfg.cacheDir, cfg.cacheMaxBytes).clear();
      note(`removed ${removed} entries from ${cfg.cacheDir}\n`);
    });
}
