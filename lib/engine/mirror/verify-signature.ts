import { eq } from 'drizzle-orm';
import { settings } from '@/db/schema';
import type { Engine } from '../engine';
import { verifyDigest } from '../security/signing';
import type { UpstreamClient } from './upstream-client';

export type TrustedKey = { key_id: string; public_key: string; owner: string; revoked: boolean };

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export type KeyRing = { check(sig: { key_id: string | null; value: string }, digest: string): Promise<SignatureCheck> };

const SETTING = 'mirror.upstream_keys';

/** The upstream's signing keys as last fetched (a mirror serves them to its own followers). */
export function storedUpstreamKeys(engine: Engine): TrustedKey[] {
  const row = engine.db.select().from(settings).where(eq(settings.key, SETTING)).get();
  return row ? (JSON.parse(row.value) as TrustedKey[]) : [];
}

function storeUpstreamKeys(engine: Engine, keys: TrustedKey[]): void {
  const now = engine.now();
  engine.db
    .insert(settings)
    .values({ key: SETTING, value: JSON.stringify(keys), updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(keys), updatedAt: now } })
    .run();
}

/**
 * The upstream's signing keys (GET /api/v1/keys/trusted), fetched again when a version names a
 * key not seen yet (keys are registered over time; a key's bytes never change), and kept in the
 * mirror's settings.
 */
export function createKeyRing(engine: Engine, upstream: UpstreamClient): KeyRing {
  let keys = new Map(storedUpstreamKeys(engine).map((k) => [k.key_id, k]));
  async function load(): Promise<void> {
    const answer = await upstream.json<{ keys: TrustedKey[] }>('/api/v1/keys/trusted');
    keys = new Map(answer.keys.map((k) => [k.key_id, k]));
    storeUpstreamKeys(engine, answer.keys);
  }
  return {
    async check(sig, digest) {
      if (!sig.key_id) return { ok: false, reason: 'the signature names no key' };
      if (!keys.has(sig.key_id)) await load();
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
