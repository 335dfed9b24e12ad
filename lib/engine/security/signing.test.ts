import { describe, expect, it } from 'vitest';
import { fingerprintOf, generateSigningKey, keyIdOf, parsePublicKey, publicKeyFromPrivate, signDigest, verifyDigest } from './signing';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('ed25519 signing', () => {
  it('signs a digest and verifies with the public key; other digests and keys fail', () => {
    const k = generateSigningKey();
    const sig = signDigest(k.privateKeyPem, digest);
    expect(Buffer.from(sig, 'base64')).toHaveLength(64);
    expect(verifyDigest(k.publicKey, digest, sig)).toBe(true);
    expect(verifyDigest(k.publicKey, digest.replace(/.$/, 'c'), sig)).toBe(false);
    expect(verifyDigest(generateSigningKey().publicKey, digest, sig)).toBe(false);
    expect(verifyDigest(k.publicKey, digest, Buffer.alloc(64).toString('base64'))).toBe(false);
    expect(verifyDigest(k.publicKey, digest, 'short')).toBe(false);
  });

  it('derives stable ids, accepts raw base64 and PEM public keys, rejects others', () => {
    const k = generateSigningKey();
    expect(keyIdOf(k.publicKey)).toBe(k.keyId);
    expect(k.keyId).toMatch(/^[a-f0-9]{16}$/);
    expect(fingerprintOf(k.publicKey).startsWith(k.keyId)).toBe(true);
    expect(publicKeyFromPrivate(k.privateKeyPem)).toBe(k.publicKey);
    const pem = parsePublicKey(k.publicKey).export({ type: 'spki', format: 'pem' }).toString();
    expect(keyIdOf(pem)).toBe(k.keyId);
    expect(() => parsePublicKey('not a key')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
