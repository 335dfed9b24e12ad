import { headers } from 'next/headers';
import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import type { Permission } from '@/lib/engine/access/permissions';
import { contextFrom, type RequestContext } from './request-context';
import { audit, type AuditSpec } from './route';
import { toErrorBody, type ErrorBody } from './to-error-body';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

type ActionOptions<S extends z.ZodType, T> = {
  permission: Permission;
  /** zod schema; use z.coerce for FormData fields. */
  input: S;
  audit: AuditSpec<z.infer<S>>;
  run: (input: z.infer<S>, ctx: RequestContext) => Promise<T> | T;
};

function fromFormData(input: unknown): unknown {
  return input instanceof FormData ? Object.fromEntries(input.entries()) : input;
}

/**
 * Every server action is built with this: resolve the caller, check the permission, validate
 * the input with zod, run one engine call, audit, and return a typed result instead of throwing.
 * Next's own origin check on server actions stays in force.
 */
export function action<S extends z.ZodType, T>(opts: ActionOptions<S, T>) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    const ctx = contextFrom(await headers());
    let input: z.infer<S> | undefined;
    try {
      authorize(ctx.actor, opts.permission);
      input = opts.input.parse(fromFormData(raw)) as z.infer<S>;
      const data = await opts.run(input, ctx);
      audit(ctx, opts.audit, input, 'ok', null);
      return { ok: true, data };
    } catch (err) {
      const error = toErrorBody(err);
      const denied = error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN';
      audit(ctx, opts.audit, input, denied ? 'denied' : 'error', error.code);
      return { ok: false, error };
    }
  };
}
