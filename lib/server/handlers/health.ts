import { z } from 'zod';
import { route } from '../route';
import { APP_VERSION } from '../version';

/** GET /api/v1/health */
export const healthHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => {
    ctx.engine.db.$client.prepare('SELECT 1').get();
    return Response.json({ status: 'ok', role: 'origin', version: APP_VERSION });
  },
});
