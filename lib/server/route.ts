import { z } from 'zod';
import { guarded, metaOf, type GuardMeta, type GuardSpec, type Requirement } from './guard';
import { httpStatusOf } from './http-status';
import { readJsonBody } from './read-json-body';
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
  /** A non-GET route that changes nothing (a dry run whose input is a body): not audited, like a GET. */
  readOnly?: true;
  run: (args: { req: Request; params: z.infer<P>; query: z.infer<Q>; json: z.infer<J>; ctx: RequestContext }) => Promise<Response> | Response;
};

export type RouteHandler = ((req: Request, segment?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>) & {
  meta: GuardMeta;
};

export function errorResponse(err: unknown): Response {
  const body = toErrorBody(err);
  return Response.json({ error: body }, { status: httpStatusOf(body.code) });
}

/**
 * Answers carry non-public data unless a handler says otherwise: no shared cache may store
 * them, and a browser cache keys them by the credentials that fetched them.
 */
function privateByDefault(res: Response): Response {
  if (res.headers.has('cache-control')) return res;
  res.headers.set('cache-control', 'private, no-cache');
  res.headers.set('vary', 'Authorization, Cookie');
  return res;
}

/** JSON that no cache keeps, the browser's included: figures that move while jobs run (sizes, lag, job states). */
export const noStoreJson = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store', vary: 'Authorization, Cookie' } });

/** The input as the path alone gives it (undefined when the path does not parse: the full parse reports it). */
function fromPath<P extends z.ZodType, Q, J>(schema: P, params: unknown): { params: z.infer<P>; query: Q; json: J } | undefined {
  const parsed = schema.safeParse(params);
  return parsed.success ? { params: parsed.data, query: {} as Q, json: {} as J } : undefined;
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
    const params = (await segment?.params) ?? {};
    const outcome = await guarded(
      spec,
      {
        headers: req.headers,
        cookies: null,
        method: req.method,
        earlyInput: opts.package ? () => fromPath(opts.params, params) : undefined,
        raw: async () => ({
          params,
          // The query string alone (the Host part of req.url is client input and may not parse).
          query: Object.fromEntries(new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '')),
          json: opts.json ? await readJsonBody(req) : {},
        }),
      },
      async (i, ctx) => {
        response = await opts.run({ req, params: i.params, query: i.query, json: i.json, ctx });
      },
    );
    if (outcome.ok) return privateByDefault(response!);
    return privateByDefault(Response.json({ error: outcome.error }, { status: httpStatusOf(outcome.error.code) }));
  };
  if (opts.readOnly && opts.audit) throw new Error('a read-only route is not audited: give readOnly or audit, not both');
  return Object.assign(handler, { meta: metaOf(spec, !!opts.readOnly) });
}
