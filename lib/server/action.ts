import { cookies, headers } from 'next/headers';
import { z } from 'zod';
import { guarded, metaOf, type GuardMeta, type GuardSpec, type Requirement } from './guard';
import type { CookieJar, RequestContext } from './request-context';
import type { ErrorBody } from './to-error-body';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

type ActionOptions<S extends z.ZodType, T> = {
  permission: Requirement;
  /** zod schema; use z.coerce for FormData fields. */
  input: S;
  /** Check the permission on this package instead of globally. */
  package?: (input: z.infer<S>) => string;
  run: (input: z.infer<S>, ctx: RequestContext) => Promise<T> | T;
} & (
  | { audit: { action: string; target: (input: z.infer<S>) => string }; readOnly?: never }
  /** An action that changes nothing (a dry run): declared so, it is not audited. */
  | { readOnly: true; audit?: never }
);

export type ServerAction<T> = ((raw: unknown) => Promise<ActionResult<T>>) & {
  meta: GuardMeta;
  /** The same guard with explicit request headers and cookie jar (used by the authorisation test). */
  runWith: (req: { headers: Headers; cookies: CookieJar | null }, raw: unknown) => Promise<ActionResult<T>>;
};

function fromFormData(input: unknown): unknown {
  return input instanceof FormData ? Object.fromEntries(input.entries()) : input;
}

/**
 * Every server action is built with this: the guard authenticates (session cookie), authorises,
 * validates with zod, runs one engine call, audits, and returns a typed result instead of
 * throwing. Next's own origin check on server actions stays in force.
 */
export function action<S extends z.ZodType, T>(opts: ActionOptions<S, T>): ServerAction<T> {
  const spec: GuardSpec<z.infer<S>> = { permission: opts.permission, input: opts.input as z.ZodType<z.infer<S>>, package: opts.package, audit: opts.audit };
  const runWith = (req: { headers: Headers; cookies: CookieJar | null }, raw: unknown) =>
    guarded(spec, { ...req, raw: () => fromFormData(raw) }, opts.run);
  const fn = async (raw: unknown) => runWith({ headers: await headers(), cookies: await cookies() }, raw);
  return Object.assign(fn, { meta: metaOf(spec, !!opts.readOnly), runWith });
}
