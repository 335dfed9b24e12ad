'use server';

import { createToken, revokeToken } from '@/lib/engine/access/tokens';
import { action } from '@/lib/server/action';
import { ZCreateTokenInput, ZRevokeTokenInput } from '@/lib/validations/accounts';

/** Anyone signed in manages their own tokens; the secret is returned once and never audited. */
export const createTokenAction = action({
  permission: 'authenticated',
  input: ZCreateTokenInput,
  audit: { action: 'token.create', target: (i) => i.name },
  run: (i, ctx) => createToken(ctx.engine, ctx.actor, i),
});

export const revokeTokenAction = action({
  permission: 'authenticated',
  input: ZRevokeTokenInput,
  audit: { action: 'token.revoke', target: (i) => `token#${i.tokenId}` },
  run: (i, ctx) => (revokeToken(ctx.engine, ctx.actor, i.tokenId), {}),
});
