import { z } from 'zod';
import { issueTokenForCredentials } from '@/lib/engine/access/issue-token';
import { route } from '@/lib/server/route';
import { ZIssueTokenBody } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

/** The CLI's login: username + password → a new API token (rate-limited like the sign-in page). */
export const POST = route({
  permission: 'public',
  params: z.object({}),
  json: ZIssueTokenBody,
  audit: { action: 'token.create', target: (_p, json) => `${json.username.toLowerCase()}: ${json.name}` },
  run: async ({ json, ctx }) => {
    const { token } = await issueTokenForCredentials(ctx.engine, { ...json, clientAddr: ctx.clientAddr });
    return Response.json({ token }, { status: 201 });
  },
});
