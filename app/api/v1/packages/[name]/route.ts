import { getPackage } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZPackageParams } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(getPackage(ctx.engine, params.name)),
});
