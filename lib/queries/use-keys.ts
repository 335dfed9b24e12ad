import { useQuery } from '@tanstack/react-query';
import type { KeyView } from '@/lib/engine/security/keys';
import { fetchJson } from './api-error';

/** A registered Ed25519 public key (GET /api/v1/keys). */
export type KeyRow = KeyView;

export type KeyList = { keys: KeyRow[] };

/** GET /api/v1/keys/trusted: every public key clients verify against, and which one is the registry's. */
export type TrustedKeys = {
  registry_key_id: string;
  keys: { key_id: string; public_key: string; owner: string; revoked: boolean }[];
};

/** The owner shown for the registry's own key (browser publishes are signed with it). */
export const REGISTRY_OWNER = 'registry';

/** Prefix of every keys query (own, all and trusted): invalidate it after registering or revoking. */
export const keysKey = ['keys'] as const;
export const trustedKeysKey = [...keysKey, 'trusted'] as const;

/** Prefix of every package query: revoking a key changes the signature status of the versions it signed. */
export const allPackagesKey = ['package'] as const;

/** `all`: everyone's keys (ManageSecurity); otherwise the caller's own. */
export function useKeys({ all, enabled = true }: { all: boolean; enabled?: boolean }) {
  return useQuery({
    queryKey: [...keysKey, { all }],
    queryFn: () => fetchJson<KeyList>(all ? '/api/v1/keys?all=1' : '/api/v1/keys'),
    enabled,
  });
}

export function useTrustedKeys() {
  return useQuery({
    queryKey: trustedKeysKey,
    queryFn: () => fetchJson<TrustedKeys>('/api/v1/keys/trusted'),
  });
}

export type KeyStatus = 'Active' | 'Revoked';

export function keyStatus(key: Pick<KeyRow, 'revoked_at'>): KeyStatus {
  return key.revoked_at === null ? 'Active' : 'Revoked';
}
