import { z } from 'zod';
import { createUser, getUser, listUsers, toUserView } from '@/lib/engine/access/users';
import { route } from '@/lib/server/route';
import { ZCreateUserInput, ZUsersQuery } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'ManageUsers',
  params: z.object({}),
  query: ZUsersQuery,
  run: ({ query, ctx }) => {
    const { total, users } = listUsers(ctx.engine, { q: query.q, page: query.page, perPage: query.per_page });
    return Response.json({ total, page: query.page, per_page: query.per_page, users });
  },
});

/** Create a user (automation; the Users page uses the server action). */
export const POST = route({
  permission: 'ManageUsers',
  params: z.object({}),
  json: ZCreateUserInput,
  audit: { action: 'user.create', target: (_p, json) => json.username },
  run: async ({ json, ctx }) => {
    const { id } = await createUser(ctx.engine, json);
    return Response.json(toUserView(ctx.engine, getUser(ctx.engine, id)), { status: 201 });
  },
});
