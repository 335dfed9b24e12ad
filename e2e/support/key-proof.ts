import { expect, type APIRequestContext } from '@playwright/test';
import type { KeyPair } from '../../lib/engine/security/signing';
import { signChallenge } from '../../lib/engine/test-support/sign-challenge';

/** A POST /api/v1/keys body with its proof: a challenge issued to the caller of `headers`, signed by `key`. */
export async function provenKeyBody(request: APIRequestContext, headers: Record<string, string>, key: KeyPair, name: string) {
  const res = await request.post('/api/v1/keys/challenge', { headers });
  expect(res.status(), await res.text()).toBe(200);
  const { challenge } = (await res.json()) as { challenge: string };
  return { name, public_key: key.publicKey, challenge, signature: signChallenge(key.privateKeyPem, challenge) };
}
