import { z } from 'zod';
import { AppError } from '@/lib/engine/errors';
import { guarded, metaOf, type GuardMeta, type GuardSpec, type Requirement } from './guard';
import { httpStatusOf } from './http-status';
import type { RequestContext } from './request-context';
import { toErrorBody } from './to-error-body';

type RouteOptions<P extends z.ZodType, Q extends z.ZodType, J extends z.ZodType> = {
  permission: Requirement;
  /** Path segments. */
  params: P;
  /** URL query string (z.coerce for numbers). */
  query?: Q;
  /** JSON request body (an empty body parses as {}). */
  json?: J;
  /** Check the permission on this package instead of globally. */
  package?: (params: z.infer<P>) => string;
  /** Present on every mutating route. */
  audit?: { action: string; target: (params: z.infer<P>, json: z.infer<J>) => string };
  run: (args: { req: Request; params: z.infer<P>; query: z.infer<Q>; json: z.infer<J>; ctx: RequestContext }) => Promise<Response> | Response;
};

export type RouteHandler = ((req: Request, segment?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>) & {
  meta: GuardMeta;
};

export function errorResponse(err: unknown): Response {
  const body = toErrorBody(err);
  return Response.json({ error: body }, { status: httpStatusOf(body.code) });
}

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'the request body must be JSON');
  }
}

/**
 * Every API route handler is built with this: the guard authenticates (bearer token or session
 * cookie), authorises, validates params/query/body with zod, runs one engine call and audits
 * mutations; errors become the JSON error shape with the status from http-status.ts.
 */
export function route<P extends z.ZodType, Q extends z.ZodType = z.ZodObject<{}>, J extends z.ZodType = z.ZodObject<{}>>(
  opts: RouteOptions<P, Q, J>,
): RouteHandler {
  type Input = { params: z.infer<P>; query: z.infer<Q>; json: z.infer<J> };
  const input = z.object({ params: opts.params, query: opts.query ?? z.object({}), json: opts.json ?? z.object({}) }) as unknown as z.ZodType<Input>;
  const spec: GuardSpec<Input> = {
    permission: opts.permission,
    input,
    package: opts.package ? (i: Input) => opts.package!(i.params) : undefined,
    audit: opts.audit ? { action: opts.audit.action, target: (i: Input) => opts.audit!.target(i.params, i.json) } : undefined,
  };
  const handler = async (req: Request, segment?: { params: Promise<Record<string, string | string[]>> }) => {
    let response: Response | undefined;
    const outcome = await guarded(
      spec,
      {
        headers: req.headers,
        cookies: null,
        raw: async () => ({
          params: (await segment?.params) ?? {},
          query: Object.fromEntries(new URL(req.url).searchParams),
          json: opts.json ? await readJson(req) : {},
        }),
      },
      async (i, ctx) => {
        response = await opts.run({ req, params: i.params, query: i.query, json: i.json, ctx });
      },
    );
    if (outcome.ok) return response!;
    return Response.json({ error: outcome.error }, { status: httpStatusOf(outcome.error.code) });
  };
  return Object.assign(handler, { meta: metaOf(spec) });
}
