import { z } from 'zod';
import { issueTokenForCredentials } from '@/lib/engine/access/issue-token';
import { PERMISSIONS_INFO } from '@/lib/engine/access/permission-areas';
import { ROLE_PERMISSIONS } from '@/lib/engine/access/permissions';
import { listRoles } from '@/lib/engine/access/roles';
import { listTokens } from '@/lib/engine/access/tokens';
import { createUserBy, getUser, listUsers, toUserView } from '@/lib/engine/access/users';
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

/** GET /api/v1/tokens: own tokens (ManageOwnTokens); `?all=1` lists everyone's (ManageTokens). Secrets are never listed. */
export const listTokensHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  query: z.object({ all: z.enum(['0', '1']).default('0') }),
  run: ({ query, ctx }) => Response.json({ tokens: listTokens(ctx.engine, ctx.actor, { all: query.all === '1' }) }),
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
    const { id } = await createUserBy(ctx.engine, ctx.actor, json);
    return Response.json(toUserView(ctx.engine, getUser(ctx.engine, id)), { status: 201 });
  },
});

/**
 * GET /api/v1/roles: roles and the permissions a role can grant (the self-service ones every
 * account holds are not among them); readable by anyone signed in (nothing secret).
 */
export const listRolesHandler = route({
  permission: 'authenticated',
  params: z.object({}),
  run: ({ ctx }) => Response.json({ permissions: ROLE_PERMISSIONS, permissions_info: PERMISSIONS_INFO.filter((p) => (ROLE_PERMISSIONS as readonly string[]).includes(p.name)), roles: listRoles(ctx.engine) }),
});
