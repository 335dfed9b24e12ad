import { z } from 'zod';
import { getPackageAccess, setGrantBy, setVisibility } from '@/lib/engine/access/manage-package-access';
import { setPackageRequireSignature } from '@/lib/engine/security/policy';
import { ZPackagePermission, ZUsername, ZVisibility } from '@/lib/validations/accounts';
import { ZPackageName, ZPackageParams } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/packages/{name}/access: visibility, owners and grants, for those who may manage them. */
export const getAccessHandler = route({
  permission: 'ManageOwners',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(getPackageAccess(ctx.engine, params.name)),
});

/** PATCH /api/v1/packages/{name}/access `{ "visibility"?: "public" | "restricted" | "private", "require_signature"?: true | false | null }` */
export const updateAccessHandler = route({
  permission: 'ManageOwners',
  params: ZPackageParams,
  json: z.object({ visibility: ZVisibility.optional(), require_signature: z.boolean().nullable().optional() }),
  package: (p) => p.name,
  audit: { action: 'package.update-access', target: (p, json) => `${p.name} ${JSON.stringify(json)}` },
  run: ({ params, json, ctx }) => {
    if (json.visibility) setVisibility(ctx.engine, { name: params.name, visibility: json.visibility });
    if (json.require_signature !== undefined) setPackageRequireSignature(ctx.engine, ctx.actor, params.name, json.require_signature);
    return Response.json(getPackageAccess(ctx.engine, params.name));
  },
});

/** PUT /api/v1/packages/{name}/grants/{username}: replace one user's grants `{ "permissions": ["Download", …] }` (empty removes). */
export const setGrantHandler = route({
  permission: 'ManageOwners',
  params: z.object({ name: ZPackageName, username: ZUsername }),
  json: z.object({ permissions: z.array(ZPackagePermission).max(16) }),
  package: (p) => p.name,
  audit: { action: 'package.set-grant', target: (p, json) => `${p.name} user=${p.username} permissions=${json.permissions.join(',')}` },
  run: ({ params, json, ctx }) => {
    setGrantBy(ctx.engine, ctx.actor, { name: params.name, username: params.username, permissions: json.permissions });
    return Response.json(getPackageAccess(ctx.engine, params.name));
  },
});
