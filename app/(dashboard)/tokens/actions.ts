'use server';

import { createToken, revokeToken } from '@/lib/engine/access/tokens';
import { action } from '@/lib/server/action';
import { ZCreateTokenInput, ZRevokeTokenInput } from '@/lib/validations/accounts';

/** Every account may mint its own tokens; a scoped token only with ManageOwnTokens, and never wider than itself. The secret is returned once and never audited. */
export const createTokenAction = action({
  permission: 'ManageOwnTokens',
  input: ZCreateTokenInput,
  audit: { action: 'token.create', target: (i) => i.name },
  run: (i, ctx) => createToken(ctx.engine, ctx.actor, i),
});

/** One's own token (ManageOwnTokens) or anyone's (ManageTokens): the engine decides which applies. */
export const revokeTokenAction = action({
  permission: 'authenticated',
  input: ZRevokeTokenInput,
  audit: { action: 'token.revoke', target: (i) => `token#${i.tokenId}` },
  run: (i, ctx) => (revokeToken(ctx.engine, ctx.actor, i.tokenId), {}),
});
