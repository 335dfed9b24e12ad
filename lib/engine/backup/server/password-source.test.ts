import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPassword } from './password-source';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-pw-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readPassword', () => {
  it('reads a file at each use, without one trailing newline', async () => {
    const file = path.join(dir, 'pw');
    await writeFile(file, 'correct horse\n');
    expect(await readPassword({ type: 'file', path: file })).toBe('correct horse');
    await writeFile(file, 'changed\r\n');
    expect(await readPassword({ type: 'file', path: file })).toBe('changed');
    await writeFile(file, 'keeps inner\n\n');
    expect(await readPassword({ type: 'file', path: file })).toBe('keeps inner\n');
  });

  it.each([
    ['a missing file', () => ({ type: 'file' as const, path: path.join(dir, 'nope') }), /does not exist/],
    ['a directory', () => ({ type: 'file' as const, path: dir }), /is a directory/],
    ['an empty file', () => ({ type: 'file' as const, path: path.join(dir, 'empty') }), /is empty/],
    ['an unset variable', () => ({ type: 'env' as const, name: 'TORSH_BACKUP_PASSWORD_UNSET' }), /not set/],
  ])('%s: BACKUP_PASSWORD_UNAVAILABLE', async (_what, source, message) => {
    await writeFile(path.join(dir, 'empty'), '');
    await expect(readPassword(source(), {})).rejects.toMatchObject({ code: 'BACKUP_PASSWORD_UNAVAILABLE', message: expect.stringMatching(message) });
  });

  it.runIf(process.getuid?.() !== 0)('an unreadable file: BACKUP_PASSWORD_UNAVAILABLE', async () => {
    const file = path.join(dir, 'locked');
    await writeFile(file, 'secret');
    await chmod(file, 0o000);
    await expect(readPassword({ type: 'file', path: file })).rejects.toMatchObject({ code: 'BACKUP_PASSWORD_UNAVAILABLE', message: expect.stringMatching(/not readable/) });
  });

  it('reads only TORSH_BACKUP_PASSWORD* variables, and only absolute files', async () => {
    expect(await readPassword({ type: 'env', name: 'TORSH_BACKUP_PASSWORD_MAIN' }, { TORSH_BACKUP_PASSWORD_MAIN: 's3cret' })).toBe('s3cret');
    await expect(readPassword({ type: 'env', name: 'AWS_SECRET_ACCESS_KEY' }, { AWS_SECRET_ACCESS_KEY: 'x' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readPassword({ type: 'file', path: 'relative/pw' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
