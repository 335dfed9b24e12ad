import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { issueKeyChallenge } from '../security/key-challenges';
import { registerKey, type KeyView } from '../security/keys';
import type { KeyPair } from '../security/signing';
import { signChallenge } from './sign-challenge';

/** Register `key` for the actor the way a client must: ask for a challenge, sign it, send both. */
export function registerProvenKey(engine: Engine, actor: Actor, key: KeyPair, name: string): KeyView {
  const { challenge } = issueKeyChallenge(engine, actor);
  return registerKey(engine, actor, { name, publicKey: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) });
}
