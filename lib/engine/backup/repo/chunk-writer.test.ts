import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RepoBackend } from '../types';
import { createChunkWriter } from './chunk-writer';
import { createChunkIndex } from './chunk-index';
import { chunkKey } from './layout';
import { createOffThreadCrypto } from './off-thread-crypto';
import { initRepository } from './repository';
import { unseal } from './sealing';
import { tempRepoDirs } from './test-support/temp-repo';

const repos = tempRepoDirs();
afterAll(() => repos.cleanup());

const encKey = randomBytes(32);
const idKey = randomBytes(32);

/** A backend that counts puts in flight and can fail them. */
function watched(inner: RepoBackend, failKey: (key: string) => boolean = () => false) {
  const state = { now: 0, peak: 0, puts: 0 };
  const backend: RepoBackend = {
    ...inner,
    async put(key, body) {
      state.now++;
      state.peak = Math.max(state.peak, state.now);
      try {
        await new Promise((r) => setImmediate(r));
        if (failKey(key)) throw new Error(`disk full writing ${key}`);
        await inner.put(key, body);
        state.puts++;
      } finally {
        state.now--;
      }
    },
  };
  return { backend, state };
}

describe('createOffThreadCrypto', () => {
  it('gives the repository chunk id and a seal that unseal opens under the same name only', async () => {
    const c = createOffThreadCrypto(encKey, idKey);
    const data = randomBytes(70_000);
    expect(await c.chunkId(data)).toBe(createHmac('sha256', idKey).update(data).digest('hex'));
    const sealed = await c.seal('data/ab/x', data);
    expect(unseal(encKey, 'data/ab/x', sealed)!.equals(data)).toBe(true);
    expect(unseal(encKey, 'data/ab/y', sealed)).toBeNull();
    expect(sealed.includes(data.subarray(0, 64))).toBe(false);
    expect((await c.unseal('data/ab/x', sealed))!.equals(data)).toBe(true);
    expect(await c.unseal('data/ab/y', sealed)).toBeNull();
    const flipped = Buffer.from(sealed);
    flipped[40] ^= 1;
    expect(await c.unseal('data/ab/x', flipped)).toBeNull();
    expect(await c.unseal('data/ab/x', sealed.subarray(0, 20))).toBeNull();
  });
});

describe('createChunkWriter', () => {
  it('stores concurrent adds with at most maxInFlight puts at once, the same bytes once', async () => {
    const { backend, state } = watched(await repos.backend());
    const w = createChunkWriter({ backend, encKey, idKey, maxInFlight: 3 }, createChunkIndex());
    const chunks = Array.from({ length: 12 }, () => randomBytes(50_000));
    const results = await Promise.all([...chunks, chunks[0], chunks[5]].map((c) => w.add(c)));
    expect(results.filter((r) => r.isNew)).toHaveLength(12);
    expect(results[12]).toMatchObject({ id: results[0].id, isNew: false, stored: results[0].stored });
    expect(state.peak).toBeGreaterThan(1);
    expect(state.peak).toBeLessThanOrEqual(3);
    expect(state.puts).toBe(12);
    const done = await w.finish();
    expect(done.newChunks).toBe(12);
    expect(done.newBytes).toBe(results.slice(0, 12).reduce((n, r) => n + r.stored, 0));
    expect(state.puts).toBe(13); // and the index file
    const sealed = (await backend.get(chunkKey(results[3].id)))!;
    expect(sealed.length).toBe(results[3].stored);
  });

  it('a failed put rejects its add and the finish; nothing is indexed', async () => {
    const inner = await repos.backend();
    const doomed = randomBytes(1000);
    const doomedKey = chunkKey(createHmac('sha256', idKey).update(doomed).digest('hex'));
    const { backend } = watched(inner, (key) => key === doomedKey);
    const index = createChunkIndex();
    const w = createChunkWriter({ backend, encKey, idKey }, index);
    const ok = w.add(randomBytes(1000));
    await expect(w.add(doomed)).rejects.toThrow(/disk full/);
    await ok;
    await expect(w.finish()).rejects.toThrow(/disk full/);
    expect(index.count).toBe(0);
    const listed: string[] = [];
    for await (const o of inner.list('index/')) listed.push(o.key);
    expect(listed).toEqual([]);
  });

  it('the repository reads back what the writer stored (packed, sealed off the thread)', async () => {
    const repo = await initRepository(await repos.backend(), 'pw');
    const w = repo.openChunkWriter(await repo.loadIndex());
    const text = Buffer.from('layer.weight '.repeat(20_000));
    const a = await w.add(text);
    expect(a.id).toBe(repo.chunkId(text));
    expect(a.stored).toBeLessThan(text.length / 10);
    await w.finish();
    expect((await repo.readChunk(a.id)).equals(text)).toBe(true);
  });
});
