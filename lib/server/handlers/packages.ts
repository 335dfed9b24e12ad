import { z } from 'zod';
import { getPackage } from '@/lib/engine/registry';
import { ZPackageParams } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/packages/{name}[?include=permissions] */
export const getPackageHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  query: z.object({ include: z.literal('permissions').optional() }),
  package: (p) => p.name,
  run: ({ params, query, ctx }) => Response.json(getPackage(ctx.engine, params.name, ctx.actor, { includePermissions: query.include === 'permissions' })),
});
