import { z } from 'zod';
import { getStats, searchPackages } from '@/lib/engine/registry';
import { ZSearchQuery } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/search: anyone may search; results hold only the packages the caller may see. */
export const searchHandler = route({
  permission: 'public',
  params: z.object({}),
  query: ZSearchQuery,
  run: ({ query, ctx }) => Response.json(searchPackages(ctx.engine, ctx.actor, { q: query.q, page: query.page, perPage: query.per_page })),
});

/** GET /api/v1/stats */
export const statsHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(getStats(ctx.engine, ctx.actor)),
});
