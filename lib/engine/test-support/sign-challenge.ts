import { createPrivateKey, sign } from 'node:crypto';

/**
 * A key's proof, made with node:crypto as `torsh keys prove` and the documented openssl command
 * make it: base64 of the Ed25519 signature over the challenge's UTF-8 bytes. (No imports beyond
 * node:crypto, so the Playwright specs use it too.)
 */
export function signChallenge(privateKeyPem: string, challenge: string): string {
  return sign(null, Buffer.from(challenge, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64');
}
