import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import { listTokens } from '@/lib/engine/access/tokens';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Own tokens; `?all=1` lists everyone's for holders of ManageTokens. Secrets are never listed. */
export const GET = route({
  permission: 'authenticated',
  params: z.object({}),
  query: z.object({ all: z.enum(['0', '1']).default('0') }),
  run: ({ query, ctx }) => {
    if (query.all === '1') authorize(ctx.actor, 'ManageTokens');
    const filter = query.all === '1' ? { all: true as const } : { userId: ctx.actor.userId! };
    return Response.json({ tokens: listTokens(ctx.engine, filter) });
  },
});
