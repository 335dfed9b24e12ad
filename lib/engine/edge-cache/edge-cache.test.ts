import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheFill } from './cache-fill';
import { isCacheable } from './cacheable';
import { EdgeCache, type Acquired } from './edge-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edge-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = async (r: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
const head = (name: string, version: string, size: number | null, headers: Record<string, string> = {}) => ({ name, version, size, headers });
const lead = (a: Acquired) => {
  if (a.kind !== 'lead') throw new Error(`expected a lead, got ${a.kind}`);
  return a.lead;
};
async function put(cache: EdgeCache, key: string, bytes: Buffer, name = 'm', version = key) {
  const fill = await lead(cache.acquire(key)).begin(head(name, version, bytes.length), [bytes]);
  await cache.idle();
  return fill;
}
const files = async () => ({ entries: (await readdir(path.join(dir, 'entries'))).sort(), tmp: await readdir(path.join(dir, 'tmp')) });

describe('isCacheable', () => {
  it.each([
    [200, 'public, max-age=31536000, immutable', true],
    [200, 'Public', true],
    [200, 'public, no-cache', false],
    [200, 'private, no-cache', false],
    [200, 'public, no-store', false],
    [200, undefined, false],
    [200, 'max-age=60', false],
    [206, 'public, max-age=60', false],
    [404, 'public', false],
  ] as const)('%i %s → %s', (status, cc, want) => {
    expect(isCacheable(status, cc)).toBe(want);
  });
});

describe('EdgeCache', () => {
  it('one fill for concurrent misses; readers get bytes as they land; then a hit', async () => {
    const cache = await EdgeCache.open({ dir, maxBytes: 1 << 20 });
    const l = lead(cache.acquire('/a'));
    const waiter = cache.acquire('/a');
    expect(waiter.kind).toBe('wait');
    const source = new PassThrough();
    const fill = await l.begin(head('a', '1.0.0', 8), source);
    expect(await (waiter as { fill: Promise<CacheFill | null> }).fill).toBe(fill);
    const r = fill.reader(0, null);
    source.write(Buffer.from('abcd'));
    const first = await new Promise<Buffer>((resolve) => r.once('data', resolve));
    expect(first.toString()).toBe('abcd'); // before the origin finished
    const ranged = fill.reader(2, 5);
    source.end(Buffer.from('efgh'));
    const rest = await read(r);
    expect(Buffer.concat([first, rest]).toString()).toBe('abcdefgh');
    expect((await read(ranged)).toString()).toBe('cdef');
    await cache.idle();
    const hit = cache.acquire('/a');
    expect(hit.kind).toBe('hit');
    if (hit.kind === 'hit') expect(await readFile(hit.path, 'utf8')).toBe('abcdefgh');
    expect(cache.counts()).toEqual({ entries: 1, bytes: 8, max_bytes: 1 << 20, evictions: 0 });
  });

  it('a failed fill leaves nothing behind, its readers get the error, and the next miss leads again', async () => {
    const cache = await EdgeCache.open({ dir, maxBytes: 1 << 20 });
    const source = new PassThrough();
    const fill = await lead(cache.acquire('/b')).begin(head('b', '1.0.0', 100), source);
    const r = fill.reader(0, null);
    source.write(Buffer.alloc(10));
    source.destroy(new Error('origin went away'));
    await expect(read(r)).rejects.toThrow('origin went away');
    await cache.idle();
    expect(await files()).toEqual({ entries: [], tmp: [] });
    expect(cache.acquire('/b').kind).toBe('lead');
  });

  it('a short body or a digest mismatch fails the fill', async () => {
    const cache = await EdgeCache.open({ dir, maxBytes: 1 << 20 });
    const short = await lead(cache.acquire('/short')).begin(head('s', '1', 10), [Buffer.alloc(5)]);
    const wrong = await lead(cache.acquire('/wrong')).begin(head('w', '1', 3, { 'x-torsh-digest': `sha256:${createHash('sha256').update('abd').digest('hex')}` }), [Buffer.from('abc')]);
    const right = await lead(cache.acquire('/right')).begin(head('r', '1', 3, { 'x-torsh-digest': `sha256:${createHash('sha256').update('abc').digest('hex')}` }), [Buffer.from('abc')]);
    await cache.idle();
    expect([short.state, wrong.state, right.state]).toEqual(['failed', 'failed', 'done']);
    expect(cache.list().map((e) => e.key)).toEqual(['/right']);
  });

  it('evicts the least recently used entries to stay within the size', async () => {
    const cache = await EdgeCache.open({ dir, maxBytes: 250 });
    await put(cache, '/1', Buffer.alloc(100, 1));
    await put(cache, '/2', Buffer.alloc(100, 2));
    expect(cache.acquire('/1').kind).toBe('hit'); // /2 is now the least recently used
    await put(cache, '/3', Buffer.alloc(100, 3));
    expect(cache.list().map((e) => e.key)).toEqual(['/1', '/3']);
    expect(cache.counts()).toMatchObject({ entries: 2, bytes: 200, evictions: 1 });
    expect((await files()).entries).toHaveLength(4);
    // larger than the whole cache: served to its readers, never kept
    const big = await put(cache, '/big', Buffer.alloc(300));
    expect(big.state).toBe('done');
    expect(cache.list().map((e) => e.key)).toEqual(['/1', '/3']);
  });

  it('purges one version, one package, everything; a fill in progress that matches is not kept', async () => {
    const cache = await EdgeCache.open({ dir, maxBytes: 1 << 20 });
    await put(cache, '/p1', Buffer.alloc(10), 'p', '1.0.0');
    await put(cache, '/p2', Buffer.alloc(20), 'p', '2.0.0');
    await put(cache, '/q1', Buffer.alloc(30), 'q', '1.0.0');
    await put(cache, '/r1', Buffer.alloc(40), 'r', '1.0.0');
    expect(await cache.purge({ name: 'p', version: '2.0.0' })).toEqual({ purged: 1, bytes: 20 });
    expect(await cache.purge({ name: 'q' })).toEqual({ purged: 1, bytes: 30 });
    const source = new PassThrough();
    const fill = await lead(cache.acquire('/s1')).begin(head('s', '1.0.0', 3), source);
    expect(await cache.purge({ all: true })).toEqual({ purged: 2, bytes: 50 });
    source.end(Buffer.from('xyz'));
    expect((await read(fill.reader(0, null))).toString()).toBe('xyz');
    await cache.idle();
    expect(cache.counts().entries).toBe(0);
    expect(await files()).toEqual({ entries: [], tmp: [] });
  });

  it('rebuilds its index from the files at start, dropping broken entries and unfinished fills', async () => {
    const first = await EdgeCache.open({ dir, maxBytes: 1 << 20 });
    await put(first, '/x', Buffer.from('hello'), 'x', '1.0.0');
    await put(first, '/y', Buffer.from('world!'), 'y', '1.0.0');
    await writeFile(path.join(dir, 'tmp', 'left-over'), 'partial');
    await writeFile(path.join(dir, 'entries', 'orphan.body'), 'no meta');
    const second = await EdgeCache.open({ dir, maxBytes: 1 << 20, now: () => Date.now() + 60_000 });
    expect(second.list().map((e) => [e.key, e.size])).toEqual(expect.arrayContaining([['/x', 5], ['/y', 6]]));
    expect(second.counts()).toMatchObject({ entries: 2, bytes: 11 });
    expect(await files()).toMatchObject({ tmp: [] });
    expect((await files()).entries).toHaveLength(4);
    // reopened smaller: the least recently used goes at once
    const hit = second.acquire('/x');
    expect(hit.kind).toBe('hit');
    await second.idle(); // the use is recorded as the body's mtime
    const third = await EdgeCache.open({ dir, maxBytes: 5 });
    expect(third.list().map((e) => e.key)).toEqual(['/x']);
  });
});
