import { z } from 'zod';
import { getPolicy, setPolicy } from '@/lib/engine/security/policy';
import { route } from '@/lib/server/route';
import { ZPolicyInput } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(getPolicy(ctx.engine)),
});

/** `{ "require_signature"?: bool, "sign_browser_publishes"?: bool }` */
export const PUT = route({
  permission: 'ManageSecurity',
  params: z.object({}),
  json: ZPolicyInput,
  audit: { action: 'policy.update', target: (_p, json) => JSON.stringify(json) },
  run: ({ json, ctx }) => Response.json(setPolicy(ctx.engine, json)),
});
