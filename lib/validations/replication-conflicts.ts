import { z } from 'zod';
import { MAX_CONFLICTS_PER_PAGE } from '@/lib/engine/replication/conflicts';

export const ZConflictsQuery = z.object({
  state: z.enum(['open', 'resolved'], { message: 'state is open or resolved' }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(MAX_CONFLICTS_PER_PAGE).default(20),
});

export const ZConflictIdParams = z.object({ id: z.coerce.number().int().min(1) });

/** The digest that wins: the catalogue's or the node's (`sha256:` prefix optional). */
export const ZResolveConflictInput = z.object({
  winner_digest: z
    .string()
    .trim()
    .regex(/^(sha256:)?[a-fA-F0-9]{64}$/, { message: 'winner_digest is a sha256 digest (64 hex digits)' }),
});

/** The audit target of a manual resolution (route and action alike). */
export const resolveTarget = (id: number, winnerDigest: string) => `conflict ${id}: winner ${winnerDigest.replace(/^sha256:/, '').toLowerCase()}`;
