import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '@/lib/engine/errors';
import { httpStatusOf } from './http-status';

const ROOT = path.resolve(__dirname, '..', '..');
const source = readFileSync(path.join(ROOT, 'lib/engine/errors.ts'), 'utf8');
const codes = [...new Set([...source.matchAll(/^\s*\| '([A-Z_]+)'/gm), ...source.matchAll(/^\s*'([A-Z_]+)',$/gm)].map((m) => m[1] as ErrorCode))];
const table = readFileSync(path.join(ROOT, 'docs/API.md'), 'utf8').split('## Errors')[1].split('\n## ')[0];

describe('docs/API.md error table', () => {
  it('reads the codes from errors.ts', () => {
    expect(codes.length).toBeGreaterThan(55);
    expect(codes).toEqual(expect.arrayContaining(['INTERNAL', 'PACKAGE_NOT_ZIP', 'PACKAGE_CORRUPT']));
  });

  it.each(codes)('%s is listed under the status it is answered with', (code) => {
    const row = table.split('\n').find((line) => line.includes(`\`${code}\``));
    expect(row, `${code} is missing from the error table`).toBeDefined();
    expect(row!.startsWith(`| ${httpStatusOf(code)} `), `${code} is listed as "${row!.slice(0, 6)}" but answered with ${httpStatusOf(code)}`).toBe(true);
  });
});
