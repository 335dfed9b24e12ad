import { z } from 'zod';
import { getPackageAccess, setGrant } from '@/lib/engine/access/manage-package-access';
import { route } from '@/lib/server/route';
import { ZPackagePermission, ZUsername } from '@/lib/validations/accounts';
import { ZPackageName } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

/** Replace one user's grants on a package: `{ "permissions": ["Download", …] }` (empty removes). */
export const PUT = route({
  permission: 'ManageOwners',
  params: z.object({ name: ZPackageName, username: ZUsername }),
  json: z.object({ permissions: z.array(ZPackagePermission).max(16) }),
  package: (p) => p.name,
  audit: { action: 'package.set-grant', target: (p, json) => `${p.name} user=${p.username} permissions=${json.permissions.join(',')}` },
  run: ({ params, json, ctx }) => {
    setGrant(ctx.engine, { name: params.name, username: params.username, permissions: json.permissions });
    return Response.json(getPackageAccess(ctx.engine, params.name));
  },
});
