import { z } from 'zod';
import { listConflicts } from '@/lib/engine/replication/conflicts';
import { resolveConflict } from '@/lib/engine/replication/resolve-conflict';
import { scrubStatus, startScrub } from '@/lib/engine/replication/scrub-nodes';
import { resolveTarget, ZConflictIdParams, ZConflictsQuery, ZResolveConflictInput } from '@/lib/validations/replication-conflicts';
import { route } from '../route';

const NO_PARAMS = z.object({});
const NO_STORE = { 'cache-control': 'no-store' };

/** POST /api/v1/replication/scrub: 202 `{job_id}` (the queued or running scrub when there is one). */
export const startScrubHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  audit: { action: 'replication.scrub', target: () => 'replication scrub' },
  run: ({ ctx }) => Response.json(startScrub(ctx.engine), { status: 202, headers: NO_STORE }),
});

/** GET /api/v1/replication/scrub: `{active, last}`: the queued or running scrub and the last report. */
export const scrubStatusHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  run: ({ ctx }) => Response.json(scrubStatus(ctx.engine), { headers: NO_STORE }),
});

/** GET /api/v1/replication/conflicts?state=&page=&per_page=: the ledger, newest first. */
export const listConflictsHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  query: ZConflictsQuery,
  run: ({ query, ctx }) => Response.json(listConflicts(ctx.engine, query), { headers: NO_STORE }),
});

/** POST /api/v1/replication/conflicts/{id}/resolve `{winner_digest}`: an admin picks the winner. */
export const resolveConflictHandler = route({
  permission: 'ManageReplication',
  params: ZConflictIdParams,
  json: ZResolveConflictInput,
  audit: { action: 'replication.conflict.resolve', target: (p, json) => resolveTarget(p.id, json.winner_digest) },
  run: async ({ params, json, ctx }) => Response.json({ conflict: await resolveConflict(ctx.engine, ctx.actor, params.id, json) }, { headers: NO_STORE }),
});
