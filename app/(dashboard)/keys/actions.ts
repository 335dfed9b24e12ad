'use server';

import { registerKey, revokeKey } from '@/lib/engine/security/keys';
import { action } from '@/lib/server/action';
import { ZRegisterKeyInput, ZRevokeKeyInput } from '@/lib/validations/accounts';

export const registerKeyAction = action({
  permission: 'authenticated',
  input: ZRegisterKeyInput,
  audit: { action: 'key.register', target: (i) => i.name },
  run: (i, ctx) => registerKey(ctx.engine, ctx.actor, { name: i.name, publicKey: i.public_key }),
});

export const revokeKeyAction = action({
  permission: 'authenticated',
  input: ZRevokeKeyInput,
  audit: { action: 'key.revoke', target: (i) => i.keyId },
  run: (i, ctx) => revokeKey(ctx.engine, ctx.actor, i.keyId),
});
