import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import { issueTokenForCredentials } from '@/lib/engine/access/issue-token';
import { PERMISSIONS_INFO } from '@/lib/engine/access/permission-areas';
import { PERMISSIONS } from '@/lib/engine/access/permissions';
import { listRoles } from '@/lib/engine/access/roles';
import { listTokens } from '@/lib/engine/access/tokens';
import { createUser, getUser, listUsers, toUserView } from '@/lib/engine/access/users';
import { whoAmI } from '@/lib/engine/access/who-am-i';
import { ZCreateUserInput, ZIssueTokenBody, ZUsersQuery } from '@/lib/validations/accounts';
import { route } from '../route';

/** GET /api/v1/me: the signed-in user (or null), and whether first-run setup is still open. */
export const meHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => Response.json(whoAmI(ctx.engine, ctx.actor)),
});

/** POST /api/v1/auth/tokens: the CLI's login, username + password → a new API token (rate-limited like the sign-in page). */
export const issueTokenHandler = route({
  permission: 'public',
  params: z.object({}),
  json: ZIssueTokenBody,
  audit: { action: 'token.create', target: (_p, json) => `${json.username.toLowerCase()}: ${json.name}` },
  run: async ({ json, ctx }) => {
    const { token } = await issueTokenForCredentials(ctx.engine, { ...json, clientAddr: ctx.clientAddr });
    return Response.json({ token }, { status: 201 });
  },
});

/** GET /api/v1/tokens: own tokens; `?all=1` lists everyone's for holders of ManageTokens. Secrets are never listed. */
export const listTokensHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  query: z.object({ all: z.enum(['0', '1']).default('0') }),
  run: ({ query, ctx }) => {
    if (query.all === '1') authorize(ctx.actor, 'ManageTokens');
    const filter = query.all === '1' ? { all: true as const } : { userId: ctx.actor.userId! };
    return Response.json({ tokens: listTokens(ctx.engine, filter) });
  },
});

/** GET /api/v1/users */
export const listUsersHandler = route({
  permission: 'ManageUsers',
  params: z.object({}),
  query: ZUsersQuery,
  run: ({ query, ctx }) => {
    const { total, users } = listUsers(ctx.engine, { q: query.q, page: query.page, perPage: query.per_page });
    return Response.json({ total, page: query.page, per_page: query.per_page, users });
  },
});

/** POST /api/v1/users: create a user (automation; the Users page uses the server action). */
export const createUserHandler = route({
  permission: 'ManageUsers',
  params: z.object({}),
  json: ZCreateUserInput,
  audit: { action: 'user.create', target: (_p, json) => json.username },
  run: async ({ json, ctx }) => {
    const { id } = await createUser(ctx.engine, json);
    return Response.json(toUserView(ctx.engine, getUser(ctx.engine, id)), { status: 201 });
  },
});

/** GET /api/v1/roles: roles and every permission name; readable by anyone signed in (nothing secret). */
export const listRolesHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ permissions: PERMISSIONS, permissions_info: PERMISSIONS_INFO, roles: listRoles(ctx.engine) }),
});
