import { verifyDigest } from '../security/signing';
import type { UpstreamClient } from './upstream-client';

type TrustedKey = { key_id: string; public_key: string; owner: string; revoked: boolean };

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * The upstream's signing keys (GET /api/v1/keys/trusted), fetched again when a version names a
 * key not seen yet (keys are registered over time; a key's bytes never change).
 */
export function createKeyRing(upstream: UpstreamClient): { check(sig: { key_id: string | null; value: string }, digest: string): Promise<SignatureCheck> } {
  let keys = new Map<string, TrustedKey>();
  let loaded = false;
  async function load(): Promise<void> {
    const answer = await upstream.json<{ keys: TrustedKey[] }>('/api/v1/keys/trusted');
    keys = new Map(answer.keys.map((k) => [k.key_id, k]));
    loaded = true;
  }
  return {
    async check(sig, digest) {
      if (!sig.key_id) return { ok: false, reason: 'the signature names no key' };
      if (!loaded || !keys.has(sig.key_id)) await load();
      const key = keys.get(sig.key_id);
      if (!key) return { ok: false, reason: `the upstream does not know key ${sig.key_id}` };
      let ok = false;
      try {
        ok = verifyDigest(key.public_key, digest, sig.value);
      } catch {
        ok = false;
      }
      return ok ? { ok: true } : { ok: false, reason: `the signature does not verify with key ${sig.key_id}` };
    },
  };
}
