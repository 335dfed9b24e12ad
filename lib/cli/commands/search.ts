import type { Command } from 'commander';
import { configOf } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { requestJson } from '../http-client';
import { note, printJson, say, table } from '../output';
import { formatSize } from '../progress';

type SearchAnswer = {
  total: number;
  page: number;
  per_page: number;
  packages: { name: string; description: string | null; latest: string | null; size: number | null; downloads: number | null; tags: string[] }[];
};

const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(EXIT.USAGE, `${what} must be a positive integer`);
  return n;
};

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('full-text search over package names, descriptions, authors and tags')
    .argument('[query]', 'search terms (empty: every package, most recently updated first)', '')
    .option('--page <n>', 'page number', positive('--page'), 1)
    .option('--per-page <n>', 'results per page (≤ 100)', positive('--per-page'), 20)
    .option('--json', 'print the registry answer as JSON')
    .action(async (query: string, opts: { page: number; perPage: number; json?: boolean }, cmd: Command) => {
      const cfg = await configOf(cmd);
      const params = new URLSearchParams({ q: query, page: String(opts.page), per_page: String(opts.perPage) });
      const { body } = await requestJson<SearchAnswer>(cfg, { method: 'GET', path: `/api/v1/search?${params}` });
      if (opts.json) return printJson(body);
      if (body.packages.length === 0) {
        note(body.total > 0 ? `no results on page ${body.page} (${body.total} in all)\n` : 'no packages found\n');
        return;
      }
      const rows = [
        ['NAME', 'LATEST', 'SIZE', 'DOWNLOADS', 'DESCRIPTION'],
        ...body.packages.map((p) => [p.name, p.latest ?? '-', p.size === null ? '-' : formatSize(p.size), p.downloads === null ? '-' : String(p.downloads), (p.description ?? '').slice(0, 60)]),
      ];
      say(`${table(rows)}\n`);
      const pages = Math.max(1, Math.ceil(body.total / body.per_page));
      note(`page ${body.page} of ${pages} (${body.total} packages)\n`);
    });
}
