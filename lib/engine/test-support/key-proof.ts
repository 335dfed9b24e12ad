import { createPrivateKey, sign } from 'node:crypto';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { issueKeyChallenge } from '../security/key-challenges';
import { registerKey, type KeyView } from '../security/keys';
import type { KeyPair } from '../security/signing';

/**
 * A key's proof, made with node:crypto as `torsh keys prove` and the documented openssl command
 * make it: base64 of the Ed25519 signature over the challenge's UTF-8 bytes.
 */
export function signChallenge(privateKeyPem: string, challenge: string): string {
  return sign(null, Buffer.from(challenge, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64');
}

/** Register `key` for the actor the way a client must: ask for a challenge, sign it, send both. */
export function registerProvenKey(engine: Engine, actor: Actor, key: KeyPair, name: string): KeyView {
  const { challenge } = issueKeyChallenge(engine, actor);
  return registerKey(engine, actor, { name, publicKey: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) });
}
