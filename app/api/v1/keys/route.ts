import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import { listKeys, registerKey } from '@/lib/engine/security/keys';
import { route } from '@/lib/server/route';
import { ZRegisterKeyInput } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

/** Own signing keys; `?all=1` lists everyone's for holders of ManageSecurity. */
export const GET = route({
  permission: 'authenticated',
  params: z.object({}),
  query: z.object({ all: z.enum(['0', '1']).default('0') }),
  run: ({ query, ctx }) => {
    if (query.all === '1') authorize(ctx.actor, 'ManageSecurity');
    return Response.json({ keys: listKeys(ctx.engine, query.all === '1' ? { all: true } : { userId: ctx.actor.userId! }) });
  },
});

/** Register an Ed25519 public key: `{ "name": "ci", "public_key": "<base64 raw key or SPKI PEM>" }`. */
export const POST = route({
  permission: 'authenticated',
  params: z.object({}),
  json: ZRegisterKeyInput,
  audit: { action: 'key.register', target: (_p, json) => json.name },
  run: ({ json, ctx }) => Response.json(registerKey(ctx.engine, ctx.actor, { name: json.name, publicKey: json.public_key }), { status: 201 }),
});
