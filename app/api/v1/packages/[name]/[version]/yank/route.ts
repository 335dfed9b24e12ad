import { z } from 'zod';
import { AppError } from '@/lib/engine/errors';
import { setYanked } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZVersionParams, ZYankInput } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

const ZYankBody = ZYankInput.pick({ reason: true });

async function readYankBody(req: Request): Promise<z.infer<typeof ZYankBody>> {
  const text = await req.text();
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'the request body must be JSON such as {"reason": "…"}');
  }
  return ZYankBody.parse(json);
}

export const POST = route({
  permission: 'Yank',
  params: ZVersionParams,
  audit: { action: 'version.yank', target: (p) => `${p.name}@${p.version}` },
  run: async ({ req, params, ctx }) => {
    const { reason } = await readYankBody(req);
    return Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: true, reason }));
  },
});

export const DELETE = route({
  permission: 'Unyank',
  params: ZVersionParams,
  audit: { action: 'version.unyank', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, ctx }) => Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: false })),
});
