import { z } from 'zod';
import { route } from '@/lib/server/route';
import { APP_VERSION } from '@/lib/server/version';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => {
    ctx.engine.db.$client.prepare('SELECT 1').get();
    return Response.json({ status: 'ok', role: 'origin', version: APP_VERSION });
  },
});
