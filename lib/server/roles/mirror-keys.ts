import { z } from 'zod';
import { storedUpstreamKeys } from '@/lib/engine/mirror';
import { route } from '../route';

/**
 * GET /api/v1/keys/trusted on a mirror: the upstream's keys as the mirror last fetched them, so
 * a mirror following this one verifies signatures the same way. A mirror has no key of its own.
 */
export const mirrorTrustedKeysHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ registry_key_id: null, keys: storedUpstreamKeys(ctx.engine) }),
});
