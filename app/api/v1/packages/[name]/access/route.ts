import { getPackageAccess, setVisibility } from '@/lib/engine/access/manage-package-access';
import { setPackageRequireSignature } from '@/lib/engine/security/policy';
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

/** `{ "visibility"?: "public" | "restricted" | "private", "require_signature"?: true | false | null }` */
export const PATCH = route({
  permission: 'ManageOwners',
  params: ZPackageParams,
  json: z.object({ visibility: ZVisibility.optional(), require_signature: z.boolean().nullable().optional() }),
  package: (p) => p.name,
  audit: { action: 'package.update-access', target: (p, json) => `${p.name} ${JSON.stringify(json)}` },
  run: ({ params, json, ctx }) => {
    if (json.visibility) setVisibility(ctx.engine, { name: params.name, visibility: json.visibility });
    if (json.require_signature !== undefined) setPackageRequireSignature(ctx.engine, params.name, json.require_signature);
    return Response.json(getPackageAccess(ctx.engine, params.name));
  },
});
