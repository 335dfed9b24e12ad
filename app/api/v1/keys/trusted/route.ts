import { z } from 'zod';
import { trustedKeys } from '@/lib/engine/security/keys';
import { registryKey } from '@/lib/engine/security/registry-key';
import { route } from '@/lib/server/route';

export const dynamic = 'force-dynamic';

/** Every registered public key (revoked ones flagged) and the registry's own: what clients verify against. */
export const GET = route({
  permission: 'public',
  params: z.object({}),
  run: async ({ ctx }) => {
    const registry = await registryKey(ctx.engine);
    return Response.json({ registry_key_id: registry.keyId, keys: trustedKeys(ctx.engine) });
  },
});
