import { AppError } from '@/lib/engine/errors';
import { httpStatusOf } from '../http-status';
import { toErrorBody } from '../to-error-body';

export type HubErrorCode = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound' | 'BadRequest';

/** The Hub's error answer: `{ "error": "<message>" }` and the `X-Error-Code` the clients test. */
export function hubError(status: number, code: HubErrorCode | null, message: string): Response {
  const headers: Record<string, string> = { 'cache-control': 'private, no-cache', vary: 'Authorization, Cookie' };
  if (code) headers['x-error-code'] = code;
  return Response.json({ error: message }, { status, headers });
}

const NAMED: Record<string, HubErrorCode> = { RepoNotFound: 'RepoNotFound', RevisionNotFound: 'RevisionNotFound', EntryNotFound: 'EntryNotFound' };

const HUB_CODES: Record<string, HubErrorCode> = {
  PACKAGE_NOT_FOUND: 'RepoNotFound',
  HF_REPO_NOT_FOUND: 'RepoNotFound',
  VERSION_NOT_FOUND: 'RevisionNotFound',
  CHANNEL_NOT_FOUND: 'RevisionNotFound',
  HF_REVISION_NOT_FOUND: 'RevisionNotFound',
  HF_ENTRY_NOT_FOUND: 'EntryNotFound',
  INVALID_INPUT: 'BadRequest',
  INVALID_PACKAGE_NAME: 'RepoNotFound',
  INVALID_VERSION: 'RevisionNotFound',
};

/**
 * An engine error in the Hub's shape. Names and revisions that do not parse are simply not
 * found, as on the Hub; everything else keeps the registry's status and message.
 */
export function hubErrorOf(err: unknown): Response {
  const body = toErrorBody(err);
  // The Hub engine (lib/engine/hf) names its 404s in details.hub_error.
  const named = err instanceof AppError ? err.details?.hub_error : undefined;
  const code = typeof named === 'string' && named in NAMED ? NAMED[named] : HUB_CODES[body.code];
  if (code === 'RepoNotFound' || code === 'RevisionNotFound' || code === 'EntryNotFound') {
    const message = code === 'RepoNotFound' ? 'Repository not found' : code === 'RevisionNotFound' ? `Invalid rev id: ${body.message}` : 'Entry not found';
    return hubError(404, code, message);
  }
  return hubError(httpStatusOf(body.code), code ?? null, body.message);
}
