import { randomBytes, webcrypto } from 'node:crypto';
import { SEAL_OVERHEAD, SEAL_VERSION } from './sealing';

const NONCE = 12;

export type OffThreadCrypto = {
  /** Hex HMAC-SHA256(idKey, data): the same id as the repository's chunkId. */
  chunkId(data: Buffer): Promise<string>;
  /** The same sealed layout as sealing.ts's seal (version, nonce, ciphertext, tag): unseal opens it. */
  seal(aad: string, plaintext: Buffer): Promise<Buffer>;
  /** As sealing.ts's unseal: the plaintext, or null when it does not open under this key and name. */
  unseal(aad: string, sealed: Buffer): Promise<Buffer | null>;
};

/**
 * Chunk ids and sealing through WebCrypto, whose jobs run on libuv's thread pool: with several
 * chunks in flight the HMAC and AES-GCM of one chunk run on the other core while this thread
 * reads and cuts the next (node:crypto's createHmac / createCipheriv run on the calling thread).
 */
export function createOffThreadCrypto(encKey: Buffer, idKey: Buffer): OffThreadCrypto {
  const { subtle } = webcrypto;
  const keys = Promise.all([
    subtle.importKey('raw', idKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    subtle.importKey('raw', encKey, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']),
  ]);
  return {
    async chunkId(data) {
      const [hmac] = await keys;
      return Buffer.from(await subtle.sign('HMAC', hmac, data)).toString('hex');
    },
    async seal(aad, plaintext) {
      const [, aes] = await keys;
      const nonce = randomBytes(NONCE);
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: Buffer.from(aad, 'utf8'), tagLength: 128 }, aes, plaintext);
      const out = Buffer.allocUnsafe(1 + NONCE + sealed.byteLength);
      out[0] = SEAL_VERSION;
      nonce.copy(out, 1);
      Buffer.from(sealed).copy(out, 1 + NONCE);
      return out;
    },
    async unseal(aad, sealed) {
      if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) return null;
      const [, aes] = await keys;
      try {
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: sealed.subarray(1, 1 + NONCE), additionalData: Buffer.from(aad, 'utf8'), tagLength: 128 },
          aes,
          sealed.subarray(1 + NONCE),
        );
        return Buffer.from(plain);
      } catch {
        return null;
      }
    },
  };
}
