import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
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

/** POST /api/v1/keys: register an Ed25519 public key `{ "name": "ci", "public_key": "<base64 raw key or SPKI PEM>" }`. */
export const registerKeyHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  json: ZRegisterKeyInput,
  audit: { action: 'key.register', target: (_p, json) => json.name },
  run: ({ json, ctx }) => Response.json(registerKey(ctx.engine, ctx.actor, { name: json.name, publicKey: json.public_key }), { status: 201 }),
});

/** DELETE /api/v1/keys/{keyId}: revoke a key (its owner, or ManageSecurity); every version it signed is flagged. */
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
