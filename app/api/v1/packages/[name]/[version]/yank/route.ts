import { setYanked } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZVersionParams, ZYankInput } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

export const POST = route({
  permission: 'Yank',
  params: ZVersionParams,
  json: ZYankInput.pick({ reason: true }),
  package: (p) => p.name,
  audit: { action: 'version.yank', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, json, ctx }) => Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: true, reason: json.reason })),
});

export const DELETE = route({
  permission: 'Unyank',
  params: ZVersionParams,
  package: (p) => p.name,
  audit: { action: 'version.unyank', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, ctx }) => Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: false })),
});
