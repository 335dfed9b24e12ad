import { z } from 'zod';
import { getPolicy, setPolicy } from '@/lib/engine/security/policy';
import { ZPolicyInput } from '@/lib/validations/accounts';
import { route } from '../route';

/** GET /api/v1/policies */
export const getPolicyHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(getPolicy(ctx.engine)),
});

/** PUT /api/v1/policies `{ "require_signature"?: bool, "sign_browser_publishes"?: bool }` */
export const setPolicyHandler = route({
  permission: 'ManageSecurity',
  params: z.object({}),
  json: ZPolicyInput,
  audit: { action: 'policy.update', target: (_p, json) => JSON.stringify(json) },
  run: ({ json, ctx }) => Response.json(setPolicy(ctx.engine, json)),
});
