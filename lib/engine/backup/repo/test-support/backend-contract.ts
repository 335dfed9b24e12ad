import { describe, expect, it } from 'vitest';
import type { RepoBackend } from '../../types';

async function keys(b: RepoBackend, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of b.list(prefix)) out.push(o.key);
  return out.sort();
}

/** The RepoBackend contract, run against each backend (local, S3, Azure). */
export function backendContract(name: string, make: () => Promise<RepoBackend>): void {
  describe(`RepoBackend contract: ${name}`, () => {
    it('puts, gets, stats and overwrites whole objects', async () => {
      const b = await make();
      expect(await b.get('config')).toBeNull();
      expect(await b.stat('config')).toBeNull();
      await b.put('data/ab/abc', Buffer.from('hello'));
      await b.flush();
      expect((await b.get('data/ab/abc'))?.toString()).toBe('hello');
      expect(await b.stat('data/ab/abc')).toEqual({ size: 5 });
      await b.put('data/ab/abc', Buffer.from('hi'));
      expect((await b.get('data/ab/abc'))?.toString()).toBe('hi');
      await b.put('empty', Buffer.alloc(0));
      expect((await b.get('empty'))?.length).toBe(0);
    });

    it('putIfAbsent writes once and then refuses', async () => {
      const b = await make();
      expect(await b.putIfAbsent('locks/one', Buffer.from('first'))).toBe(true);
      expect(await b.putIfAbsent('locks/one', Buffer.from('second'))).toBe(false);
      expect((await b.get('locks/one'))?.toString()).toBe('first');
    });

    it('lists recursively under a prefix only, with sizes', async () => {
      const b = await make();
      await b.put('data/aa/aa1', Buffer.from('1'));
      await b.put('data/bb/bb2', Buffer.from('22'));
      await b.put('index/i1', Buffer.from('333'));
      await b.put('snapshots/s1', Buffer.from('4'));
      expect(await keys(b, 'data/')).toEqual(['data/aa/aa1', 'data/bb/bb2']);
      expect(await keys(b, 'index/')).toEqual(['index/i1']);
      expect(await keys(b, 'nothing/')).toEqual([]);
      const sizes: Record<string, number> = {};
      for await (const o of b.list('')) sizes[o.key] = o.size;
      expect(sizes).toEqual({ 'data/aa/aa1': 1, 'data/bb/bb2': 2, 'index/i1': 3, 'snapshots/s1': 1 });
    });

    it('deletes, and deleting an absent object is no error', async () => {
      const b = await make();
      await b.put('snapshots/x', Buffer.from('x'));
      await b.delete('snapshots/x');
      await b.delete('snapshots/x');
      expect(await b.get('snapshots/x')).toBeNull();
      expect(await keys(b, 'snapshots/')).toEqual([]);
      await b.flush();
    });

    it('parallel puts of distinct objects all land', async () => {
      const b = await make();
      await Promise.all(Array.from({ length: 20 }, (_, i) => b.put(`data/${String(i % 4).padStart(2, '0')}/k${i}`, Buffer.alloc(1000 + i, i))));
      await b.flush();
      expect((await keys(b, 'data/')).length).toBe(20);
      expect((await b.get('data/03/k19'))?.length).toBe(1019);
    });
  });
}
