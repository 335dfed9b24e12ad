import { z } from 'zod';
import { revokeKey } from '@/lib/engine/security/keys';
import { route } from '@/lib/server/route';
import { ZKeyId } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

/** Revoke a key (its owner, or ManageSecurity): every version it signed is flagged. */
export const DELETE = route({
  permission: 'authenticated',
  params: z.object({ keyId: ZKeyId }),
  audit: { action: 'key.revoke', target: (p) => p.keyId },
  run: ({ params, ctx }) => Response.json(revokeKey(ctx.engine, ctx.actor, params.keyId)),
});
