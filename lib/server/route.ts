import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import type { Permission } from '@/lib/engine/access/permissions';
import { recordAudit } from '@/lib/engine/audit/record-audit';
import { httpStatusOf } from './http-status';
import { contextFrom, type RequestContext } from './request-context';
import { toErrorBody } from './to-error-body';

export type AuditSpec<P> = { action: string; target: (input: P) => string };

type RouteOptions<S extends z.ZodType, Q extends z.ZodType> = {
  /** Checked before anything else runs. */
  permission: Permission;
  /** Path segments. */
  params: S;
  /** URL query string (z.coerce for numbers). */
  query?: Q;
  /** Present on every mutating route: each call leaves an audit row (ok / denied / error). */
  audit?: AuditSpec<z.infer<S>>;
  run: (args: { req: Request; params: z.infer<S>; query: z.infer<Q>; ctx: RequestContext }) => Promise<Response> | Response;
};

export function errorResponse(err: unknown): Response {
  const body = toErrorBody(err);
  return Response.json({ error: body }, { status: httpStatusOf(body.code) });
}

/**
 * Every API route handler is built with this: resolve the caller, check the permission,
 * validate params with zod, run one engine call, map errors to the JSON error shape, audit.
 */
export function route<S extends z.ZodType, Q extends z.ZodType = z.ZodObject<{}>>(opts: RouteOptions<S, Q>) {
  return async (req: Request, segment?: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const ctx = contextFrom(req.headers);
    let params: z.infer<S> | undefined;
    try {
      authorize(ctx.actor, opts.permission);
      params = opts.params.parse((await segment?.params) ?? {}) as z.infer<S>;
      const query = (opts.query ?? z.object({})).parse(Object.fromEntries(new URL(req.url).searchParams)) as z.infer<Q>;
      const res = await opts.run({ req, params, query, ctx });
      if (opts.audit) audit(ctx, opts.audit, params, 'ok', null);
      return res;
    } catch (err) {
      const body = toErrorBody(err);
      if (opts.audit) {
        const denied = body.code === 'UNAUTHENTICATED' || body.code === 'FORBIDDEN';
        audit(ctx, opts.audit, params, denied ? 'denied' : 'error', body.code);
      }
      return Response.json({ error: body }, { status: httpStatusOf(body.code) });
    }
  };
}

export function audit<P>(
  ctx: RequestContext,
  spec: AuditSpec<P>,
  input: P | undefined,
  result: 'ok' | 'denied' | 'error',
  errorCode: string | null,
): void {
  const target = input === undefined ? null : spec.target(input);
  recordAudit(ctx.engine, { actor: ctx.actor, action: spec.action, target, result, errorCode, clientAddr: ctx.clientAddr });
}
