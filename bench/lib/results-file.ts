// The one writer of bench/RESULTS.md: each benchmark puts its run first in its own section.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type ResultsSection = 'registry' | 'encryption' | 'cli' | 'browser-upload' | 'metrics' | 'distribution' | 'replication' | 'backups' | 'hf';

const TITLES: Record<ResultsSection, string> = {
  registry: '## Registry: publish, download and load (`bench/run.ts`)',
  encryption: '## Encryption (`bench/encryption.ts`)',
  cli: '## CLI (`bench/cli.ts`)',
  'browser-upload': '## Browser upload (`bench/browser-upload.ts`)',
  metrics: '## Metrics store and dashboards (`bench/metrics.ts`)',
  distribution: '## Distribution: edge cache, mirror sync, publish to visible (`bench/distribution.ts`)',
  replication: '## Replication: 3 local nodes at quorum vs cp; primary store on S3 (`bench/replication.ts`)',
  backups: '## Backups: ours vs restic, first and incremental backup, restore (`bench/backup.ts`)',
  hf: '## Hugging Face Hub API: `downloadFile` vs the package download route (`bench/hf.ts`)',
};

const BENCH_DIR = path.resolve(__dirname, '..');

/** Full runs go to bench/RESULTS.md; `--quick` smoke runs to the git-ignored bench/out/RESULTS-quick.md. */
export function resultsFile(quick: boolean): string {
  return quick ? path.join(BENCH_DIR, 'out', 'RESULTS-quick.md') : path.join(BENCH_DIR, 'RESULTS.md');
}

const QUICK_HEADER = '# Quick benchmark runs\n\nSmoke runs (`--quick`: small packages, short load); not figures to quote. Newest first in each section.\n';

/**
 * `text` with `run` (a block starting "### Run …") placed first in `section`, so every section
 * reads newest first; a missing section is appended at the end.
 */
export function withRun(text: string, section: ResultsSection, run: string): string {
  const block = run.trim() + '\n\n';
  const title = TITLES[section];
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === title);
  if (start < 0) return `${text.trimEnd()}\n\n${title}\n\n${block}`.trimEnd() + '\n';
  let at = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith('### ') || lines[i].startsWith('## ')) {
      at = i;
      break;
    }
  }
  const before = lines.slice(0, at).join('\n').trimEnd();
  const after = lines.slice(at).join('\n');
  return `${before}\n\n${block}${after}`.trimEnd() + '\n';
}

export function insertRun(file: string, section: ResultsSection, run: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text = existsSync(file) ? readFileSync(file, 'utf8') : QUICK_HEADER;
  writeFileSync(file, withRun(text, section, run));
}

/** Whether the benchmark was started with `--quick` (small packages, short load: a smoke run). */
export function isQuick(argv = process.argv.slice(2)): boolean {
  return argv.includes('--quick');
}
