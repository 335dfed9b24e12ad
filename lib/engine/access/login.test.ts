import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginAttempts } from '@/db/schema';
import { tempEngine } from '../test-support/temp-engine';
import { bootstrapAccounts } from './bootstrap';
import { checkCredentials, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from './login';
import { createPasswordHasher, scryptKdf, type Kdf } from './password';
import { createUser } from './users';

const PW = 'correct horse battery';

/** A hasher on the real scrypt that counts every derivation, i.e. every password actually evaluated. */
function countingHasher(opts: { concurrency?: number; maxQueued?: number; gate?: Promise<void> } = {}) {
  const counter = { derivations: 0 };
  const kdf: Kdf = async (password, salt, params) => {
    counter.derivations++;
    await opts.gate;
    return scryptKdf(password, salt, params);
  };
  return { hasher: createPasswordHasher({ concurrency: opts.concurrency ?? 2, maxQueued: opts.maxQueued ?? 1000, kdf }), counter };
}

describe('the sign-in limit holds under concurrency', () => {
  let engine: Awaited<ReturnType<typeof tempEngine>>;
  const attemptsOf = (username: string) => engine.db.select().from(loginAttempts).where(eq(loginAttempts.username, username)).all();

  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    await createUser(engine, { username: 'alice', email: 'a@x.test', password: PW, roles: ['viewer'] });
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('200 parallel wrong guesses for one account: only the first 5 are evaluated, the rest are RATE_LIMITED', async () => {
    const { hasher, counter } = countingHasher();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => checkCredentials(engine, { username: 'alice', password: `guess-${i}`, clientAddr: `10.0.${i >> 8}.${i & 255}` }, hasher)),
    );
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(200 - MAX_FAILURES_PER_ACCOUNT);
    expect(counter.derivations).toBe(MAX_FAILURES_PER_ACCOUNT);
    expect(attemptsOf('alice').map((a) => a.success)).toEqual(Array(MAX_FAILURES_PER_ACCOUNT).fill(false));
    // Locked for the window, even with the right password.
    await expect(checkCredentials(engine, { username: 'alice', password: PW, clientAddr: null }, hasher)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(counter.derivations).toBe(MAX_FAILURES_PER_ACCOUNT);
  });

  it('200 parallel guesses from one address across accounts: only the first 20 are evaluated', async () => {
    const { hasher, counter } = countingHasher();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => checkCredentials(engine, { username: `user${i}`, password: 'guess', clientAddr: '192.0.2.7' }, hasher)),
    );
    const limited = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'RATE_LIMITED');
    expect(limited).toHaveLength(200 - MAX_FAILURES_PER_ADDRESS);
    // Unknown users burn a dummy check: one derivation each, plus one to make the dummy hash.
    expect(counter.derivations).toBe(MAX_FAILURES_PER_ADDRESS + 1);
    expect(engine.db.select().from(loginAttempts).where(eq(loginAttempts.clientAddr, '192.0.2.7')).all()).toHaveLength(MAX_FAILURES_PER_ADDRESS);
  });

  it('records the attempt as a failure before hashing and flips it to a success afterwards', async () => {
    const { hasher } = countingHasher();
    await expect(checkCredentials(engine, { username: 'alice', password: 'wrong', clientAddr: null }, hasher)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const pending = checkCredentials(engine, { username: 'Alice ', password: PW, clientAddr: '10.1.1.1' }, hasher);
    expect(attemptsOf('alice').map((a) => a.success)).toEqual([false, false]);
    expect((await pending).username).toBe('alice');
    expect(attemptsOf('alice').map((a) => [a.success, a.clientAddr])).toEqual([
      [false, null],
      [true, '10.1.1.1'],
    ]);
  });

  it('a sign-in refused because the hashing queue is full is RATE_LIMITED and does not count as a failure', async () => {
    let open!: () => void;
    const { hasher } = countingHasher({ concurrency: 1, maxQueued: 0, gate: new Promise<void>((resolve) => (open = resolve)) });
    const first = checkCredentials(engine, { username: 'alice', password: PW, clientAddr: null }, hasher);
    await expect(checkCredentials(engine, { username: 'alice', password: 'guess', clientAddr: null }, hasher)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(attemptsOf('alice')).toHaveLength(1);
    open();
    expect((await first).username).toBe('alice');
    expect(attemptsOf('alice').map((a) => a.success)).toEqual([true]);
  });
});
