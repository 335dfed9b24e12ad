import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { isValidPackageName, isValidVersion } from './manifest-schema';
import { parseManifest } from './parse-manifest';
import { classifyPath, guessResourcesType } from './resource-type';

const crateManifest = {
  name: 'test_package',
  version: '1.0.0',
  format_version: '1.0.0',
  created_at: '2025-03-01T10:20:30.123456789Z',
  author: null,
  description: null,
  license: null,
  modules: [{ name: 'net', class_name: 'Net', version: '0.1.0', dependencies: [], has_source: true }],
  resources: [],
  dependencies: { 'torsh-core': '0.1.0-alpha.2' },
  metadata: {},
  signature: null,
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isAppError(err) ? err.code : 'not-app-error';
  }
  return undefined;
}

describe('names and versions', () => {
  it.each([
    ['resnet50', true],
    ['a', true],
    ['torsh.vision_models-2', true],
    ['9lives', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['', false],
    ['Bad', false],
    ['-lead', false],
    ['.hidden', false],
    ['has space', false],
    ['a/b', false],
  ])('name %j valid=%s', (name, ok) => expect(isValidPackageName(name)).toBe(ok));

  it.each([
    ['1.0.0', true],
    ['0.1.0-alpha.2', true],
    ['1.2.3+build.7', true],
    ['1.2.3-rc.1+sha.abc', true],
    ['v1.0.0', false],
    ['=1.0.0', false],
    [' 1.0.0', false],
    ['1.0', false],
    ['01.0.0', false],
    ['latest', false],
  ])('version %j valid=%s', (version, ok) => expect(isValidVersion(version)).toBe(ok));
});

describe('parseManifest', () => {
  it('accepts a crate-written manifest (nulls, empty resources, nanosecond timestamp)', () => {
    const m = parseManifest(JSON.stringify(crateManifest));
    expect(m.name).toBe('test_package');
    expect(m.modules[0].class_name).toBe('Net');
    expect(m.resources).toEqual([]);
  });

  it('defaults missing collections and keeps unknown keys', () => {
    const { modules, resources, dependencies, metadata, ...rest } = crateManifest;
    const m = parseManifest(JSON.stringify({ ...rest, x_extra: { a: 1 } }));
    expect([m.modules, m.resources, m.dependencies, m.metadata]).toEqual([[], [], {}, {}]);
    expect(m.x_extra).toEqual({ a: 1 });
  });

  it('accepts resources with absent, null or empty sha256', () => {
    const resources = [
      { name: 'a.bin', resource_type: 'Model', size: 1 },
      { name: 'b.bin', resource_type: 'Model', size: 1, sha256: null },
      { name: 'c.bin', resource_type: 'Model', size: 1, sha256: '', compression: null },
    ];
    expect(parseManifest(JSON.stringify({ ...crateManifest, resources })).resources).toHaveLength(3);
  });

  it.each([
    ['format 1.4.0', { format_version: '1.4.0' }, undefined],
    ['format 2.0.0', { format_version: '2.0.0' }, 'FORMAT_VERSION_UNSUPPORTED'],
    ['format 0.9.0', { format_version: '0.9.0' }, 'FORMAT_VERSION_UNSUPPORTED'],
    ['format garbage', { format_version: 'one' }, 'MANIFEST_INVALID'],
    ['format missing', { format_version: undefined }, 'MANIFEST_INVALID'],
    ['bad name', { name: 'Bad' }, 'MANIFEST_NAME_INVALID'],
    ['bad version', { version: '1.0' }, 'MANIFEST_VERSION_INVALID'],
    ['name missing', { name: undefined }, 'MANIFEST_INVALID'],
    ['bad created_at', { created_at: 'yesterday' }, 'MANIFEST_INVALID'],
    ['bad sha256', { resources: [{ name: 'a', resource_type: 'Model', size: 1, sha256: 'xyz' }] }, 'MANIFEST_INVALID'],
    ['metadata not strings', { metadata: { a: 1 } }, 'MANIFEST_INVALID'],
  ])('%s', (_label, patch, code) => {
    expect(codeOf(() => parseManifest(JSON.stringify({ ...crateManifest, ...patch })))).toBe(code);
  });

  it('names the failing field', () => {
    const text = JSON.stringify({ ...crateManifest, modules: [{ name: 'n', version: '1', class_name: 5 }] });
    expect(() => parseManifest(text)).toThrow(/modules\[0\]\.class_name/);
  });
});

describe('resource types', () => {
  it.each([
    ['models/model.bin', undefined, 'Model', 'model.bin'],
    ['models/a/b.bin', undefined, 'Model', 'a/b.bin'],
    ['src/net.py', undefined, 'Source', 'net.py'],
    ['data/x.csv', undefined, 'Data', 'x.csv'],
    ['config/c.json', undefined, 'Config', 'c.json'],
    ['docs/README.md', undefined, 'Documentation', 'README.md'],
    ['resources/LICENSE', undefined, 'License', 'LICENSE'],
    ['resources/notes.md', undefined, 'Text', 'notes.md'],
    ['resources/info.yaml', undefined, 'Metadata', 'info.yaml'],
    ['resources/blob', undefined, 'Binary', 'blob'],
    ['resources/blob', 'Text', 'Text', 'blob'],
    ['resources/blob', 'Model', 'Binary', 'blob'],
    ['README.md', undefined, null, 'README.md'],
    ['other/x', undefined, null, 'other/x'],
  ] as const)('%s (listed %s) → %s %s', (path, listed, type, name) => {
    expect(classifyPath(path, listed)).toEqual({ type, name });
  });

  it('guesses LICENSE variants', () => {
    expect(guessResourcesType('LICENSE-MIT')).toBe('License');
    expect(guessResourcesType('license.txt')).toBe('License');
  });
});
