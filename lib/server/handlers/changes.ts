import { z } from 'zod';
import { awaitVisibleChanges, MAX_CHANGES_PER_PAGE } from '@/lib/engine/registry';
import { route } from '../route';

export const MAX_WAIT_SECONDS = 60;

const ZChangesQuery = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_CHANGES_PER_PAGE).default(100),
  wait: z.coerce.number().min(0).max(MAX_WAIT_SECONDS).default(0),
});

/**
 * GET /api/v1/changes?since=&limit=&wait= — the change feed mirrors follow. With `wait`, the
 * answer is held until a change the caller may see exists after `since`, or the time is up.
 */
export const changesHandler = route({
  permission: 'public',
  params: z.object({}),
  query: ZChangesQuery,
  run: async ({ query, ctx }) =>
    Response.json(await awaitVisibleChanges(ctx.engine, ctx.actor, { since: query.since, limit: query.limit }, query.wait * 1000), {
      headers: { 'cache-control': 'no-store' },
    }),
});
