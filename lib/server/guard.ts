import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import { authorizePackage } from '@/lib/engine/access/package-access';
import type { Permission } from '@/lib/engine/access/permissions';
import { ANONYMOUS } from '@/lib/engine/actor';
import { AppError } from '@/lib/engine/errors';
import { recordAudit } from '@/lib/engine/audit/record-audit';
import { changeHeadBefore, enqueueEdgePurgesAfter } from './cdn-purge-hook';
import { getReadyEngine } from './engine';
import { clientAddrFrom, resolveActor, type CookieJar, type RequestContext } from './request-context';
import { assertNotCrossSite } from './cross-site';
import { toErrorBody, type ErrorBody } from './to-error-body';

/**
 * What a handler requires: a named permission, 'authenticated' (any signed-in user; for their
 * own things, like tokens) or 'public' (anyone; e.g. sign-in).
 */
export type Requirement = Permission | 'authenticated' | 'public';

export type AuditSpec<I> = { action: string; target: (input: I) => string };

export type GuardSpec<I> = {
  permission: Requirement;
  input: z.ZodType<I>;
  /** When set, the permission is checked on this package (owner → grant → role → public read). */
  package?: (input: I) => string;
  /** Present on every mutation: each call leaves one audit row (ok / denied / error). */
  audit?: AuditSpec<I>;
};

/** What the wrappers expose about each handler, so tests can enumerate every mutation. */
export type GuardMeta = {
  permission: Requirement;
  package: boolean;
  audit: string | null;
  /** A POST (or action) that changes nothing, e.g. a dry run: declared so, it is not audited. */
  readOnly: boolean;
};

const DENIALS: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'CROSS_SITE_REQUEST']);

export type GuardOutcome<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

function check(ctx: RequestContext, permission: Requirement): void {
  if (permission === 'public') return;
  if (permission !== 'authenticated') return authorize(ctx.actor, permission);
  if (ctx.actor.userId === null) throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to do this');
}

/**
 * The one guard behind both wrappers: authenticate, authorise, validate with zod, run, audit.
 * Nothing mutates without passing through here.
 */
export async function guarded<I, T>(
  spec: GuardSpec<I>,
  req: {
    headers: Headers;
    cookies: CookieJar | null;
    raw: () => Promise<unknown> | unknown;
    /** API routes: the HTTP method (cookie-authenticated mutations must be same-origin). */
    method?: string;
    /**
     * API routes: the input as far as the path tells it (no body yet), so a package is authorised
     * before the body is read; undefined when the path does not parse.
     */
    earlyInput?: () => I | undefined;
  },
  run: (input: I, ctx: RequestContext) => Promise<T> | T,
): Promise<GuardOutcome<T>> {
  const engine = await getReadyEngine();
  const ctx: RequestContext = { engine, actor: ANONYMOUS, clientAddr: clientAddrFrom(req.headers), headers: req.headers, cookies: req.cookies };
  let input: I | undefined;
  let early: I | undefined;
  try {
    ctx.actor = resolveActor(engine, req.headers);
    if (req.method) assertNotCrossSite(ctx.actor, req.method, req.headers);
    if (!spec.package) check(ctx, spec.permission);
    early = spec.package ? req.earlyInput?.() : undefined;
    if (early !== undefined) authorizePackage(engine, ctx.actor, spec.permission as Permission, spec.package!(early));
    input = spec.input.parse(await req.raw());
    if (spec.package && (early === undefined || spec.package(input) !== spec.package(early))) {
      authorizePackage(engine, ctx.actor, spec.permission as Permission, spec.package(input));
    }
    const head = spec.audit ? changeHeadBefore(engine) : 0;
    const data = await run(input, ctx);
    if (spec.audit) {
      audit(ctx, spec.audit, input, 'ok', null);
      enqueueEdgePurgesAfter(engine, head);
    }
    return { ok: true, data };
  } catch (err) {
    const error = toErrorBody(err);
    if (spec.audit) {
      audit(ctx, spec.audit, input ?? early, DENIALS.has(error.code) ? 'denied' : 'error', error.code);
    }
    return { ok: false, error };
  }
}

function audit<I>(ctx: RequestContext, spec: AuditSpec<I>, input: I | undefined, result: 'ok' | 'denied' | 'error', errorCode: string | null): void {
  let target: string | null = null;
  try {
    target = input === undefined ? null : spec.target(input);
  } catch {
    // A denial before the body was read: the target may need fields the body would have held.
  }
  recordAudit(ctx.engine, { actor: ctx.actor, action: spec.action, target, result, errorCode, clientAddr: ctx.clientAddr });
}

export function metaOf(spec: { permission: Requirement; package?: unknown; audit?: { action: string } }, readOnly = false): GuardMeta {
  return { permission: spec.permission, package: !!spec.package, audit: spec.audit?.action ?? null, readOnly };
}
