import { z } from 'zod';
import { getStats } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(getStats(ctx.engine, ctx.actor)),
});
