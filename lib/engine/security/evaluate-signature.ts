import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { findKey, REGISTRY_OWNER } from './keys';
import { getPolicy, requiresSignature } from './policy';
import { registryKey } from './registry-key';
import { signDigest, verifyDigest } from './signing';

export type SignatureRecord = {
  value: string;
  keyId: string;
  status: 'verified' | 'invalid' | 'unknown_key' | 'revoked';
  signer: string | null;
};

/**
 * Decide a publish's signature: a supplied one is verified against the publisher's registered,
 * unrevoked keys; a browser publish without one is signed by the registry key (when the policy
 * says so). With "require signature" on (globally or for the package), anything but a verified
 * signature refuses the publish.
 */
export async function evaluateSignature(
  engine: Engine,
  actor: Actor,
  input: { name: string; digest: string; supplied?: { value: string; keyId: string | null }; browser: boolean },
): Promise<SignatureRecord | null> {
  let record: SignatureRecord | null = null;
  if (input.supplied) {
    const keyId = input.supplied.keyId ?? '';
    const key = keyId ? findKey(engine, keyId) : undefined;
    const usable = key && key.userId !== null && key.userId === actor.userId;
    if (!usable) {
      record = { value: input.supplied.value, keyId, status: 'unknown_key', signer: null };
    } else if (key.revokedAt !== null) {
      record = { value: input.supplied.value, keyId, status: 'revoked', signer: key.owner };
    } else {
      const ok = verifyDigest(key.publicKey, input.digest, input.supplied.value);
      record = { value: input.supplied.value, keyId, status: ok ? 'verified' : 'invalid', signer: key.owner };
    }
  } else if (input.browser && getPolicy(engine).sign_browser_publishes) {
    const rk = await registryKey(engine);
    record = { value: signDigest(rk.privateKeyPem, input.digest), keyId: rk.keyId, status: 'verified', signer: REGISTRY_OWNER };
  }
  if (record?.status !== 'verified' && requiresSignature(engine, input.name)) {
    const why = !record
      ? 'it is not signed'
      : record.status === 'unknown_key'
        ? `the key ${record.keyId || '(none given)'} is not one of your registered keys`
        : record.status === 'revoked'
          ? `the key ${record.keyId} has been revoked`
          : `the signature does not verify with key ${record.keyId}`;
    throw new AppError('SIGNATURE_REQUIRED', `${input.name} requires a verified signature, but ${why}`);
  }
  return record;
}
