import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import { issueKeyChallenge } from '@/lib/engine/security/key-challenges';
import { listKeys, registerKey, revokeKey, trustedKeys } from '@/lib/engine/security/keys';
import { registryKey } from '@/lib/engine/security/registry-key';
import { ZKeyId, ZRegisterKeyInput } from '@/lib/validations/accounts';
import { route } from '../route';

/** GET /api/v1/keys: own signing keys; `?all=1` lists everyone's for holders of ManageSecurity. */
export const listKeysHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  query: z.object({ all: z.enum(['0', '1']).default('0') }),
  run: ({ query, ctx }) => {
    if (query.all === '1') authorize(ctx.actor, 'ManageSecurity');
    return Response.json({ keys: listKeys(ctx.engine, query.all === '1' ? { all: true } : { userId: ctx.actor.userId! }) });
  },
});

/** POST /api/v1/keys/challenge: `{ challenge, expires_at }`, single use, to be signed by the key being registered. */
export const keyChallengeHandler = route({
  permission: 'ManageOwnKeys',
  params: z.object({}),
  audit: { action: 'key.challenge', target: () => 'signing key' },
  run: ({ ctx }) => Response.json(issueKeyChallenge(ctx.engine, ctx.actor)),
});

/**
 * POST /api/v1/keys: register an Ed25519 public key with proof,
 * `{ "name", "public_key": "<base64 raw key or SPKI PEM>", "challenge", "signature": "<base64 Ed25519 over the challenge>" }`.
 * A token without the ManageOwnKeys scope is refused before its body is read.
 */
export const registerKeyHandler = route({
  permission: 'ManageOwnKeys',
  params: z.object({}),
  json: ZRegisterKeyInput,
  audit: { action: 'key.register', target: (_p, json) => json.name },
  run: ({ json, ctx }) =>
    Response.json(registerKey(ctx.engine, ctx.actor, { name: json.name, publicKey: json.public_key, challenge: json.challenge, signature: json.signature }), {
      status: 201,
    }),
});

/** DELETE /api/v1/keys/{keyId}: revoke one's own key (ManageOwnKeys) or anyone's (ManageSecurity); every version it signed is flagged. */
export const revokeKeyHandler = route({
  permission: 'authenticated',
  params: z.object({ keyId: ZKeyId }),
  audit: { action: 'key.revoke', target: (p) => p.keyId },
  run: ({ params, ctx }) => Response.json(revokeKey(ctx.engine, ctx.actor, params.keyId)),
});

/** GET /api/v1/keys/trusted: every registered public key (revoked ones flagged) and the registry's own. */
export const trustedKeysHandler = route({
  permission: 'public',
  params: z.object({}),
  run: async ({ ctx }) => {
    const registry = await registryKey(ctx.engine);
    return Response.json({ registry_key_id: registry.keyId, keys: trustedKeys(ctx.engine) });
  },
});
