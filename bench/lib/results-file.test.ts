import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withRun } from './results-file';

const FILE = `# Benchmark results

Intro.

## Notes

Some notes.

## Registry: publish, download and load (\`bench/run.ts\`)

What the section measures.

### Run 2026-01-02

old registry run

## Encryption (\`bench/encryption.ts\`)

### Run 2026-01-01

#### detail

old encryption run
`;

describe('withRun', () => {
  it('puts the new run first in its section, below the section intro', () => {
    const out = withRun(FILE, 'registry', '### Run 2026-02-01\n\nnew registry run\n');
    const section = out.slice(out.indexOf('## Registry'), out.indexOf('## Encryption'));
    assert.ok(section.indexOf('What the section measures.') < section.indexOf('### Run 2026-02-01'));
    assert.ok(section.indexOf('### Run 2026-02-01') < section.indexOf('### Run 2026-01-02'));
    assert.ok(out.indexOf('old encryption run') > out.indexOf('## Encryption'));
  });

  it('does not take a "####" subheading for the start of a run', () => {
    const out = withRun(FILE, 'encryption', '### Run 2026-02-01\n\nnew encryption run');
    const section = out.slice(out.indexOf('## Encryption'));
    assert.ok(section.indexOf('new encryption run') < section.indexOf('### Run 2026-01-01'));
    assert.ok(section.indexOf('### Run 2026-01-01') < section.indexOf('#### detail'));
  });

  it('fills a section that has no run yet, before the next section', () => {
    const text = '# R\n\n## CLI (`bench/cli.ts`)\n\n## Browser upload (`bench/browser-upload.ts`)\n\n### Run old\n';
    const out = withRun(text, 'cli', '### Run new');
    assert.ok(out.indexOf('### Run new') > out.indexOf('## CLI'));
    assert.ok(out.indexOf('### Run new') < out.indexOf('## Browser upload'));
  });

  it('appends a missing section at the end, leaving the rest untouched', () => {
    const out = withRun(FILE, 'cli', '### Run 2026-03-01\n\ncli run');
    assert.ok(out.startsWith(FILE.trimEnd()));
    assert.match(out, /## CLI \(`bench\/cli\.ts`\)\n\n### Run 2026-03-01\n\ncli run\n$/);
  });
});
