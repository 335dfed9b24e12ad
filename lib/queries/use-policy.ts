import { useQuery } from '@tanstack/react-query';
import type { SignaturePolicy } from '@/lib/engine/security/policy';
import { fetchJson } from './api-error';

export type { SignaturePolicy };

export const policyKey = ['policy'] as const;

/** GET /api/v1/policies: the registry-wide signature policy (readable by anyone). */
export function usePolicy({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: policyKey,
    queryFn: () => fetchJson<SignaturePolicy>('/api/v1/policies'),
    enabled,
  });
}
