import { z } from 'zod';
import { feedHead } from '@/lib/engine/registry';
import { route } from '../route';
import { APP_VERSION } from '../version';

/** GET /api/v1/health: `feed.head` lets probes compare a mirror's position with the origin's. */
export const healthHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ status: 'ok', role: 'origin', version: APP_VERSION, feed: { head: feedHead(ctx.engine) } }, { headers: { 'cache-control': 'no-store' } }),
});
