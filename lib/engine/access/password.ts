import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import { createConcurrencyLimit } from './concurrency-limit';

const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 64;

export type ScryptParams = { N: number; r: number; p: number };
/** Derives the key; injectable so tests can watch how many derivations run at once. */
export type Kdf = (password: string, salt: Buffer, params: ScryptParams) => Promise<Buffer>;

export const scryptKdf: Kdf = (password, salt, params) =>
  new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { ...params, maxmem: 128 * params.N * params.r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

export type PasswordHasher = {
  /** scrypt with a random salt: `scrypt$N$r$p$<salt>$<hash>`, base64. */
  hash(password: string): Promise<string>;
  /** Constant-time comparison against a stored hash; false for malformed hashes. */
  verify(password: string, stored: string): Promise<boolean>;
  /** The same work as a real check when there is no user, so timing does not reveal it. */
  verifyDummy(password: string): Promise<false>;
};

/** At most this many derivations at once, so libuv's thread pool (4 threads) keeps threads for file I/O. */
export const HASH_CONCURRENCY = 2;
/** Derivations waiting beyond this are refused with RATE_LIMITED instead of piling up (each holds 32 MiB while it runs). */
export const HASH_QUEUE_LIMIT = 64;

export function createPasswordHasher(opts: { concurrency: number; maxQueued: number; kdf?: Kdf }): PasswordHasher {
  const kdf = opts.kdf ?? scryptKdf;
  const limit = createConcurrencyLimit({
    concurrency: opts.concurrency,
    maxQueued: opts.maxQueued,
    whenFull: () => new AppError('RATE_LIMITED', 'The server is busy checking passwords. Try again in a moment.'),
  });
  const derive = (password: string, salt: Buffer, params: ScryptParams) => limit.run(() => kdf(password, salt, params));

  const hash = async (password: string) => {
    const salt = randomBytes(16);
    const key = await derive(password, salt, { N, r: R, p: P });
    return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
  };
  const verify = async (password: string, stored: string) => {
    const [scheme, n, r, p, salt, expectedHash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !expectedHash) return false;
    const expected = Buffer.from(expectedHash, 'base64');
    const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
    return key.length === expected.length && timingSafeEqual(key, expected);
  };
  let dummyHash: Promise<string> | null = null;
  const verifyDummy = async (password: string): Promise<false> => {
    dummyHash ??= hash(randomBytes(16).toString('hex')).catch((err: unknown) => {
      dummyHash = null; // refused while the queue was full: try again next time
      throw err;
    });
    await verify(password, await dummyHash);
    return false;
  };
  return { hash, verify, verifyDummy };
}

/** One per process: the thread pool it protects is per process too. */
export const passwordHasher = createPasswordHasher({ concurrency: HASH_CONCURRENCY, maxQueued: HASH_QUEUE_LIMIT });
export const hashPassword = passwordHasher.hash;
export const verifyPassword = passwordHasher.verify;
