import { z } from 'zod';
import { PERMISSIONS } from '@/lib/engine/access/permissions';
import { listRoles } from '@/lib/engine/access/roles';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Roles and every permission name; readable by anyone signed in (nothing secret). */
export const GET = route({
  permission: 'authenticated',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ permissions: PERMISSIONS, roles: listRoles(ctx.engine) }),
});
