import { z } from 'zod';
import { whoAmI } from '@/lib/engine/access/who-am-i';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** The signed-in user (or null), and whether first-run setup is still open. */
export const GET = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(whoAmI(ctx.engine, ctx.actor)),
});
