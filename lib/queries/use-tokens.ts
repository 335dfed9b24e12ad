import { useQuery } from '@tanstack/react-query';
import type { TokenView } from '@/lib/engine/access/tokens';
import { fetchJson } from './api-error';

export type TokenRow = TokenView;

export type TokenList = { tokens: TokenRow[] };

/** Prefix of every tokens query (own and all). */
export const tokensKey = ['tokens'] as const;

/** `all`: every user's tokens (ManageTokens); otherwise the caller's own. */
export function useTokens({ all }: { all: boolean }) {
  return useQuery({
    queryKey: [...tokensKey, { all }],
    queryFn: () => fetchJson<TokenList>(all ? '/api/v1/tokens?all=1' : '/api/v1/tokens'),
  });
}

export type TokenStatus = 'Active' | 'Expired' | 'Revoked';

export function tokenStatus(token: TokenRow, now: number): TokenStatus {
  if (token.revoked_at !== null) return 'Revoked';
  if (token.expires_at !== null && token.expires_at <= now) return 'Expired';
  return 'Active';
}
