'use server';

import { setPolicy } from '@/lib/engine/security/policy';
import { action } from '@/lib/server/action';
import { ZPolicyInput } from '@/lib/validations/accounts';

export const updatePolicyAction = action({
  permission: 'ManageSecurity',
  input: ZPolicyInput,
  audit: { action: 'policy.update', target: (i) => JSON.stringify(i) },
  run: (i, ctx) => setPolicy(ctx.engine, i),
});
