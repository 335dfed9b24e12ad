import { spawnSync } from 'node:child_process';

/**
 * Run Prometheus's own `promtool` (Debian package `prometheus`; .ci/run installs it). A missing
 * promtool fails the test: the text format is checked by the real parser or not at all.
 */
export function promtool(args: string[], stdin?: string): { status: number; output: string } {
  const r = spawnSync('promtool', args, { input: stdin, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool is not installed: `apt-get install -y prometheus` (Debian) provides it; .ci/run installs it');
  }
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

export type PromSample = { name: string; labels: Record<string, string>; value: number };

/** Read the samples of an exposition that promtool has already validated (no comments, no checks). */
export function parsePromText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]] = l[2].replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of one sample (0 when the series has not appeared yet: a counter never incremented). */
export function sampleValue(samples: PromSample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}
