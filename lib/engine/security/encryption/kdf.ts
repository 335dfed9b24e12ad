import { scrypt } from 'node:crypto';
import { AppError } from '../../errors';
import { KEY_LENGTH, scryptMemory, type KdfParams } from './format';

/**
 * scrypt(password, salt) → 32-byte AES-256 key, on libuv's thread pool (node:crypto). The password
 * is NFC-normalised so the same passphrase typed on different systems gives the same key.
 * scrypt needs 128·N·r bytes (128 MiB at the defaults N = 2^17, r = 8), held only while deriving.
 */
export function deriveKey(password: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const { log2N, r, p } = params;
  // OpenSSL checks 128·r·(N + p + 2) against maxmem; leave a little room above it.
  const maxmem = scryptMemory(params) + 128 * r * (p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: 2 ** log2N, r, p, maxmem }, (err, key) => {
      if (err) reject(new AppError('INTERNAL', `key derivation (scrypt) failed: ${err.message}`));
      else resolve(key);
    });
  });
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0) {
    throw new AppError('INVALID_INPUT', 'a non-empty password is required');
  }
  return password;
}
