import { getPackageAccess, setVisibility } from '@/lib/engine/access/manage-package-access';
import { route } from '@/lib/server/route';
import { ZVisibility } from '@/lib/validations/accounts';
import { ZPackageParams } from '@/lib/validations/package';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/** Visibility, owners and grants, for those who may manage them. */
export const GET = route({
  permission: 'ManageOwners',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(getPackageAccess(ctx.engine, params.name)),
});

/** Change visibility: `{ "visibility": "public" | "restricted" | "private" }`. */
export const PATCH = route({
  permission: 'ManageOwners',
  params: ZPackageParams,
  json: z.object({ visibility: ZVisibility }),
  package: (p) => p.name,
  audit: { action: 'package.set-visibility', target: (p, json) => `${p.name} visibility=${json.visibility}` },
  run: ({ params, json, ctx }) => {
    setVisibility(ctx.engine, { name: params.name, visibility: json.visibility });
    return Response.json(getPackageAccess(ctx.engine, params.name));
  },
});
