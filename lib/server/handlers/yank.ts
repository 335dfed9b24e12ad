import { setYanked } from '@/lib/engine/registry';
import { ZVersionParams, ZYankInput } from '@/lib/validations/package';
import { route } from '../route';

/** POST /api/v1/packages/{name}/{version}/yank */
export const yankHandler = route({
  permission: 'Yank',
  params: ZVersionParams,
  json: ZYankInput.pick({ reason: true }),
  package: (p) => p.name,
  audit: { action: 'version.yank', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, json, ctx }) => Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: true, reason: json.reason })),
});

/** DELETE /api/v1/packages/{name}/{version}/yank */
export const unyankHandler = route({
  permission: 'Unyank',
  params: ZVersionParams,
  package: (p) => p.name,
  audit: { action: 'version.unyank', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, ctx }) => Response.json(setYanked(ctx.engine, ctx.actor, { ...params, yanked: false })),
});
