import { z } from 'zod';
import { searchPackages } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZSearchQuery } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'ReadMetadata',
  params: z.object({}),
  query: ZSearchQuery,
  run: ({ query, ctx }) =>
    Response.json(searchPackages(ctx.engine, { q: query.q, page: query.page, perPage: query.per_page })),
});
