import { getPackage } from '@/lib/engine/registry';
import { ZPackageParams } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/packages/{name} */
export const getPackageHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(getPackage(ctx.engine, params.name)),
});
