import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, scryptKdf, type Kdf } from './password';

/** The real scrypt, counting how many derivations run at once. */
function trackedKdf() {
  const stats = { active: 0, peak: 0, calls: 0 };
  const kdf: Kdf = async (password, salt, params) => {
    stats.calls++;
    stats.peak = Math.max(stats.peak, ++stats.active);
    try {
      return await scryptKdf(password, salt, params);
    } finally {
      stats.active--;
    }
  };
  return { kdf, stats };
}

/** The real scrypt, held back until `open()`: derivations stay "running" as long as the test wants. */
function gatedKdf() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const kdf: Kdf = async (password, salt, params) => {
    await gate;
    return scryptKdf(password, salt, params);
  };
  return { kdf, open };
}

describe('password hashing is bounded', () => {
  it('never runs more than the bound at once, so file reads are not stuck behind queued hashes', async () => {
    const { kdf, stats } = trackedKdf();
    const hasher = createPasswordHasher({ concurrency: 2, maxQueued: 64, kdf });
    const total = 16;
    let done = 0;
    const hashes = Array.from({ length: total }, (_, i) => hasher.hash(`password-${i}`).then((h) => (done++, h)));
    // libuv runs scrypt and fs work on one 4-thread pool in FIFO order: without the bound, this read
    // would queue behind every hash above (each read needs open, fstat, read and close on the pool).
    await readFile(import.meta.filename);
    const doneAtRead = done;
    const stored = await Promise.all(hashes);
    expect(doneAtRead).toBeLessThan(total / 2);
    expect(stats.peak).toBe(2);
    expect(stats.calls).toBe(total);
    expect(await hasher.verify('password-3', stored[3])).toBe(true);
    expect(await hasher.verify('password-4', stored[3])).toBe(false);
    expect(stats.peak).toBe(2);
  });

  it('refuses with RATE_LIMITED once the queue is full, and serves the rest', async () => {
    const { kdf, open } = gatedKdf();
    const hasher = createPasswordHasher({ concurrency: 1, maxQueued: 2, kdf });
    const results = Array.from({ length: 5 }, (_, i) => hasher.hash(`password-${i}`));
    open();
    const settled = await Promise.allSettled(results);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    for (const r of settled.slice(3)) expect(r).toMatchObject({ reason: { code: 'RATE_LIMITED' } });
    // The slots were released: new work is accepted again.
    expect(await hasher.verify('password-0', (settled[0] as PromiseFulfilledResult<string>).value)).toBe(true);
  });

  it('retries the dummy hash after a refusal instead of remembering the failure', async () => {
    const { kdf, open } = gatedKdf();
    const hasher = createPasswordHasher({ concurrency: 1, maxQueued: 0, kdf });
    const busy = hasher.hash('occupies-the-only-slot');
    await expect(hasher.verifyDummy('guess')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    open();
    await busy;
    await expect(hasher.verifyDummy('guess')).resolves.toBe(false);
  });
});
