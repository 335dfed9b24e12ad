import { useQuery } from '@tanstack/react-query';
import { fetchJson } from './api-error';

export type TokenRow = {
  id: number;
  name: string;
  username: string;
  /** The public start of the secret, e.g. "torsh_ab12cd34". */
  prefix: string;
  scopes: string[];
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
};

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
