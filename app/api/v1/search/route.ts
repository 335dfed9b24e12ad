import { z } from 'zod';
import { searchPackages } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZSearchQuery } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

/** Anyone may search; results hold only the packages the caller may see. */
export const GET = route({
  permission: 'public',
  params: z.object({}),
  query: ZSearchQuery,
  run: ({ query, ctx }) =>
    Response.json(searchPackages(ctx.engine, ctx.actor, { q: query.q, page: query.page, perPage: query.per_page })),
});
