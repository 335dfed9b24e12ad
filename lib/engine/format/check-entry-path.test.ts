import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { checkEntryPath, entryKey, unsafeEntryPathReason } from './check-entry-path';

describe('checkEntryPath', () => {
  it.each([
    ['MANIFEST.json', null],
    ['models/model.bin', null],
    ['models/sub/dir/', null],
    ['docs/..hidden/readme.md', null],
    ['resources/LICENSE', null],
    ['', 'is empty'],
    ['/abs', 'is absolute'],
    ['/', 'is absolute'],
    ['../evil', "has a '..' segment"],
    ['models/../../evil', "has a '..' segment"],
    ['models/..', "has a '..' segment"],
    ['./models/a', "has a '.' segment"],
    ['C:/x', 'starts with a drive letter'],
    ['c:x', 'starts with a drive letter'],
    ['a\\b', 'contains a backslash'],
    ['..\\evil', 'contains a backslash'],
    ['a//b', 'has an empty segment'],
    ['a/b//', 'has an empty segment'],
    ['a\0b', 'contains a NUL byte'],
  ])('%j → %s', (path, reason) => {
    expect(unsafeEntryPathReason(path)).toBe(reason);
    if (reason === null) {
      expect(() => checkEntryPath(path)).not.toThrow();
      return;
    }
    try {
      checkEntryPath(path);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('ENTRY_PATH_UNSAFE');
      expect((err as Error).message).toContain(JSON.stringify(path));
      expect((err as Error).message).toContain(reason);
    }
  });

  it('keys a directory entry like the file of the same name', () => {
    expect(entryKey('models/')).toBe('models');
    expect(entryKey('models/a.bin')).toBe('models/a.bin');
  });
});
