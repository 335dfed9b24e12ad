'use server';

import { z } from 'zod';
import { issueKeyChallenge } from '@/lib/engine/security/key-challenges';
import { registerKey, revokeKey } from '@/lib/engine/security/keys';
import { action } from '@/lib/server/action';
import { ZRegisterKeyInput, ZRevokeKeyInput } from '@/lib/validations/accounts';

/** A single-use challenge the Register key dialog shows, to be signed with the key being registered. */
export const keyChallengeAction = action({
  permission: 'ManageOwnKeys',
  input: z.object({}),
  audit: { action: 'key.challenge', target: () => 'signing key' },
  run: (_i, ctx) => issueKeyChallenge(ctx.engine, ctx.actor),
});

/** The same rule as POST /api/v1/keys: the key is registered only with its signature over a challenge. */
export const registerKeyAction = action({
  permission: 'ManageOwnKeys',
  input: ZRegisterKeyInput,
  audit: { action: 'key.register', target: (i) => i.name },
  run: (i, ctx) => registerKey(ctx.engine, ctx.actor, { name: i.name, publicKey: i.public_key, challenge: i.challenge, signature: i.signature }),
});

/** One's own key (ManageOwnKeys) or anyone's (ManageSecurity): the engine decides which applies. */
export const revokeKeyAction = action({
  permission: 'authenticated',
  input: ZRevokeKeyInput,
  audit: { action: 'key.revoke', target: (i) => i.keyId },
  run: (i, ctx) => revokeKey(ctx.engine, ctx.actor, i.keyId),
});
