import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { AppError } from '../errors';

/**
 * Ed25519 package signatures (node:crypto). A signature covers the package digest: the 32 raw
 * bytes of its sha256. Public keys travel as base64 of the raw 32-byte key; private keys as
 * PKCS#8 PEM. A key's id is the first 16 hex characters of sha256(raw public key), and its
 * fingerprint the full hex (shown in the UI).
 */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type KeyPair = { publicKey: string; privateKeyPem: string; keyId: string };

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(ED25519_SPKI_PREFIX.length);
}

/** Accepts base64 of the raw 32-byte key, or an SPKI PEM. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      const key = createPublicKey(trimmed);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
      return key;
    }
    const raw = Buffer.from(trimmed, 'base64');
    if (raw.length !== 32) throw new Error('wrong length');
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    throw new AppError('INVALID_INPUT', 'not an Ed25519 public key: give the base64 of its 32 raw bytes, or an SPKI PEM');
  }
}

export function publicKeyBase64(key: KeyObject): string {
  return rawPublicKey(key).toString('base64');
}

export function fingerprintOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? parsePublicKey(publicKey) : publicKey;
  return createHash('sha256').update(rawPublicKey(key)).digest('hex');
}

export function keyIdOf(publicKey: KeyObject | string): string {
  return fingerprintOf(publicKey).slice(0, 16);
}

export function generateSigningKey(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKeyBase64(publicKey),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

const digestBytes = (digest: string) => {
  const hex = digest.replace(/^sha256:/, '');
  if (!/^[a-f0-9]{64}$/.test(hex)) throw new AppError('INVALID_INPUT', `not a sha256 digest: ${digest}`);
  return Buffer.from(hex, 'hex');
};

/** Base64 Ed25519 signature over the digest ("sha256:<hex>" or bare hex). */
export function signDigest(privateKeyPem: string, digest: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('INVALID_INPUT', 'the private key is not an Ed25519 key');
  return sign(null, digestBytes(digest), key).toString('base64');
}

export function verifyDigest(publicKey: KeyObject | string, digest: string, signatureB64: string): boolean {
  const key = typeof publicKey === 'string' ? parsePublicKey(publicKey) : publicKey;
  const sig = Buffer.from(signatureB64, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, digestBytes(digest), key, sig);
}

export function publicKeyFromPrivate(privateKeyPem: string): string {
  return publicKeyBase64(createPublicKey(createPrivateKey(privateKeyPem)));
}
