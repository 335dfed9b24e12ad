import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { describeError, EXIT, exitCodeForStatus, HttpError, NetworkError } from './exit-codes';
import { PackageCache } from './package-cache';
import { formatDuration, formatSize } from './progress';
import { backoffDelay, withRetries } from './retry';

describe('exit codes', () => {
  it.each([
    [401, EXIT.AUTH],
    [403, EXIT.AUTH],
    [404, EXIT.NOT_FOUND],
    [409, EXIT.CONFLICT],
    [400, EXIT.VALIDATION],
    [413, EXIT.VALIDATION],
    [422, EXIT.VALIDATION],
    [429, EXIT.UNAVAILABLE],
    [500, EXIT.UNAVAILABLE],
    [503, EXIT.UNAVAILABLE],
  ])('HTTP %i → %i', (status, code) => expect(exitCodeForStatus(status)).toBe(code));

  it('shows the server code after its message', () => {
    expect(describeError(new HttpError(409, 'x@1.0.0 is already published', 'PACKAGE_VERSION_EXISTS'))).toEqual({
      exitCode: EXIT.CONFLICT,
      message: 'x@1.0.0 is already published (PACKAGE_VERSION_EXISTS)',
    });
  });
});

describe('retries', () => {
  it('full jitter stays below min(cap, base·2^n)', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(249);
    expect(backoffDelay(3, () => 0.5)).toBe(1000);
    expect(backoffDelay(20, () => 0.999)).toBe(9990);
    expect(backoffDelay(5, () => 0)).toBe(0);
  });

  it('retries network errors and 5xx, never 4xx', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new HttpError(404, 'nope');
      }, { retries: 3 }),
    ).rejects.toThrow('nope');
    expect(calls).toBe(1);

    calls = 0;
    const value = await withRetries(async () => {
      if (++calls < 3) throw calls === 1 ? new NetworkError('reset') : new HttpError(503, 'busy');
      return 'ok';
    }, { retries: 2 });
    expect([value, calls]).toEqual(['ok', 3]);

    calls = 0;
    await expect(withRetries(async () => {
      calls++;
      throw new HttpError(500, 'boom');
    }, { retries: 1 })).rejects.toThrow('boom (gave up after 2 attempts)');
    expect(calls).toBe(2);
  });

  it('an attempt that made progress does not use up the budget', async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      if (++calls < 5) throw new NetworkError('cut');
      return calls;
    }, { retries: 1, madeProgress: () => true });
    expect(result).toBe(5);
  });
});

describe('config precedence', () => {
  it('flags, then environment, then the file, then defaults', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-cli-config-'));
    const file = path.join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ registry: 'http://file:1', token: 't-file', timeout_ms: 5, retries: 9, cache_max_bytes: 100 }));
    const env = { TORSH_CONFIG: file, TORSH_REGISTRY: 'http://env:2/', HOME: dir } as unknown as NodeJS.ProcessEnv;
    const cfg = await loadConfig({ token: 't-flag' }, env);
    expect(cfg).toMatchObject({ registry: 'http://env:2', token: 't-flag', timeoutMs: 5, retries: 9, cacheMaxBytes: 100 });
    const defaults = await loadConfig({}, { HOME: dir, TORSH_CONFIG: path.join(dir, 'none.json') } as unknown as NodeJS.ProcessEnv);
    expect(defaults).toMatchObject({ registry: 'http://localhost:3000', token: null, timeoutMs: 30_000, retries: 3 });
    await expect(loadConfig({ retries: '-1' }, env)).rejects.toThrow('--retries must be a non-negative integer');
  });
});

describe('PackageCache', () => {
  it('evicts least recently used blobs past the bound; the index survives a new instance', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-cli-cache-'));
    const cache = new PackageCache(path.join(dir, 'cache'), 250);
    const add = async (key: string, digest: string) => {
      const file = path.join(dir, key);
      await writeFile(file, Buffer.alloc(100, digest));
      await cache.add(key, digest, 100, file);
      await new Promise((r) => setTimeout(r, 5));
    };
    await add('a@1', 'a'.repeat(64));
    await add('b@1', 'b'.repeat(64));
    await cache.touch('a@1', 'a'.repeat(64), 100);
    await new Promise((r) => setTimeout(r, 5));
    await add('c@1', 'c'.repeat(64));
    const reopened = new PackageCache(path.join(dir, 'cache'), 250);
    expect((await reopened.list()).entries.map((e) => e.key)).toEqual(['c@1', 'a@1']);
    expect(await reopened.find('b'.repeat(64))).toBeNull();
    expect(await readFile(reopened.blobPath('a'.repeat(64)), 'utf8')).toBe('a'.repeat(100));
    expect(await cache.add('huge@1', 'd'.repeat(64), 1000, path.join(dir, 'a@1'))).toBe(false);
    expect(await cache.clear()).toBe(2);
    await expect(stat(reopened.blobPath('a'.repeat(64)))).rejects.toThrow();
  });
});

describe('progress formatting', () => {
  it('uses decimal units and h:mm:ss', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(1_500_000)).toBe('1.50 MB');
    expect(formatSize(1_073_741_824)).toBe('1.07 GB');
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
});
