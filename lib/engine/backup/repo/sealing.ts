import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Sealed object: version byte, 12-byte random nonce, AES-256-GCM ciphertext, 16-byte tag. */
export const SEAL_VERSION = 1;
const NONCE = 12;
const TAG = 16;
export const SEAL_OVERHEAD = 1 + NONCE + TAG;

/**
 * Encrypt and authenticate `plaintext` under `key`. `aad` is the object's key in the repository
 * (`data/ab/<id>`, `snapshots/<id>`…), so an object moved or copied under another name fails to open.
 */
export function seal(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SEAL_OVERHEAD + plaintext.length);
  out[0] = SEAL_VERSION;
  const nonce = randomBytes(NONCE);
  nonce.copy(out, 1);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const n1 = cipher.update(plaintext).copy(out, 1 + NONCE);
  const n2 = cipher.final().copy(out, 1 + NONCE + n1);
  cipher.getAuthTag().copy(out, 1 + NONCE + n1 + n2);
  return out;
}

/** The plaintext, or null when the object is not a sealed object under this key and name. */
export function unseal(key: Buffer, aad: string, sealed: Buffer): Buffer | null {
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) return null;
  const nonce = sealed.subarray(1, 1 + NONCE);
  const tag = sealed.subarray(sealed.length - TAG);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    const a = decipher.update(sealed.subarray(1 + NONCE, sealed.length - TAG));
    const b = decipher.final();
    return b.length === 0 ? a : Buffer.concat([a, b]);
  } catch {
    return null;
  }
}
