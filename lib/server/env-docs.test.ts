import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !e.parentPath.includes('test-support'))
    .map((e) => path.join(e.parentPath, e.name));
}

const variables = new Set<string>();
for (const dir of ['lib', 'bin', 'db', 'app']) {
  for (const file of sources(dir)) for (const m of readFileSync(file, 'utf8').matchAll(/\bTORSH_[A-Z_]*[A-Z]\b/g)) variables.add(m[0]);
}
const docs = readFileSync(path.join(ROOT, 'README.md'), 'utf8') + readFileSync(path.join(ROOT, 'lib/cli/README.md'), 'utf8');

describe('every environment variable is documented', () => {
  it('finds the variables the code reads', () => {
    expect(variables.size).toBeGreaterThan(15);
  });

  it.each([...variables].sort())('%s is in README.md or lib/cli/README.md', (name) => {
    expect(docs).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
