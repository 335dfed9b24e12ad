import { recordUploadEvent } from '@/lib/engine/metrics/record';
import { getEngine } from '../engine';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@tus/server';
import { z } from 'zod';
import { AppError, type ErrorCode } from '@/lib/engine/errors';
import { assertUnpublished } from '@/lib/engine/registry';
import { isUploadClaimed } from '@/lib/engine/registry/upload-claims';
import { guarded, metaOf, type GuardMeta, type GuardOutcome, type GuardSpec } from '../guard';
import { getReadyEngine } from '../engine';
import { httpStatusOf } from '../http-status';
import { log } from '../log';
import { headersFromNode } from '../node-headers';
import type { RequestContext } from '../request-context';
import type { ErrorBody } from '../to-error-body';
import { assertInflightRoom, oneAtATime } from './inflight-uploads';
import { parseUploadMetadata, UPLOAD_ID_RE, ZStoredUploadMetadata, ZUploadId, ZUploadMetadata } from './upload-metadata';
import { readUploadInfo, runAsUploader, uploadServer, type UploaderContext } from './upload-server';

export const TUS_METHODS = ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'] as const;
export type TusMethod = (typeof TUS_METHODS)[number];

/** Creation: the declared length (no deferred lengths) and the package the upload is for. */
const ZCreate = z.object({
  length: z
    .string({ error: 'Upload-Length is required' })
    .regex(/^[1-9]\d{0,15}$/, 'Upload-Length must be a positive byte count')
    .transform(Number),
  metadata: ZUploadMetadata,
});
type CreateInput = z.infer<typeof ZCreate>;

/** Any other request names an existing upload; the guard loads its stored info as the input. */
const ZExisting = z
  .object({ id: ZUploadId, metadata: ZStoredUploadMetadata })
  .transform(({ id, metadata }) => ({ id, name: metadata.name, version: metadata.version, userId: Number(metadata.userId) }));
type ExistingInput = z.infer<typeof ZExisting>;

const CREATE: GuardSpec<CreateInput> = {
  permission: 'Publish',
  input: ZCreate,
  package: (i) => i.metadata.name,
  audit: { action: 'upload.create', target: (i) => `${i.metadata.name}@${i.metadata.version}` },
};

/** Publish on the package the upload is for, as at creation: a grant there suffices, losing it ends the upload. */
function existing(action: string | null): GuardSpec<ExistingInput> {
  return {
    permission: 'Publish',
    input: ZExisting,
    package: (i) => i.name,
    audit: action ? { action, target: (i) => `${i.name}@${i.version}` } : undefined,
  };
}

// Creation is audited, and so is every chunk (PATCH) and termination, as every mutation is.
const SPECS = {
  POST: CREATE,
  PATCH: existing('upload.append'),
  DELETE: existing('upload.delete'),
  HEAD: existing(null),
  OPTIONS: { permission: 'Publish', input: z.object({}) },
} as unknown as Record<TusMethod, GuardSpec<unknown>>;

const NOT_FOUND = () => new AppError('UPLOAD_NOT_FOUND', 'no such upload (it may have expired, been published or cancelled)');

async function rawInput(method: TusMethod, headers: Headers, id: string | null): Promise<unknown> {
  if (method === 'OPTIONS') return {};
  if (method === 'POST') {
    if (id !== null) throw NOT_FOUND();
    return { length: headers.get('upload-length') ?? undefined, metadata: parseUploadMetadata(headers.get('upload-metadata')) };
  }
  if (id === null || !UPLOAD_ID_RE.test(id)) throw NOT_FOUND();
  const info = await readUploadInfo(await getReadyEngine(), id);
  if (!info) throw NOT_FOUND();
  return { id, metadata: info.metadata };
}

/** No answer was sent: the client went away first (nginx's 499). */
const CLIENT_CLOSED = 499;

/** The tus answer's status as an error code, so failed requests are audited as failures. */
function codeForStatus(status: number): ErrorCode {
  if (status === CLIENT_CLOSED) return 'UPLOAD_ABORTED';
  if (status === 404 || status === 410) return 'UPLOAD_NOT_FOUND';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 507) return 'INSUFFICIENT_STORAGE';
  return status >= 500 ? 'INTERNAL' : 'INVALID_INPUT';
}

/**
 * The one guard in front of tus: authenticate (session cookie or bearer token), require Publish
 * on the package the upload is for, validate, check the upload is the caller's (else 404), then let
 * `serve` hand the request to tus inside the uploader context its hooks read. Returns what
 * `serve` produced (when tus ran) and the guard's outcome.
 */
async function guardUpload<T extends { status: number }>(
  method: TusMethod,
  headers: Headers,
  id: string | null,
  serve: (server: Server) => Promise<T>,
): Promise<{ served: T | undefined; outcome: GuardOutcome<void> }> {
  let served: T | undefined;
  const spec = SPECS[method];
  const outcome = await guarded(spec, { headers, cookies: null, raw: () => rawInput(method, headers, id) }, async (input, ctx: RequestContext) => {
    const userId = ctx.actor.userId;
    if (userId === null) throw new AppError('UNAUTHENTICATED', 'sign in or send a bearer token to upload');
    const server = uploadServer(ctx.engine);
    const serveAs = async (uploader: UploaderContext) => {
      served = await runAsUploader(uploader, () => serve(server));
      if (served.status >= 400) throw new AppError(codeForStatus(served.status), `the upload server answered ${served.status}`);
    };
    if (method === 'OPTIONS') return serveAs({ userId });
    if (method === 'POST') {
      const create = input as CreateInput;
      const { maxUploadBytes } = ctx.engine.limits;
      if (create.length > maxUploadBytes) {
        throw new AppError('BODY_TOO_LARGE', `package is ${create.length} bytes; the limit is ${maxUploadBytes} bytes`);
      }
      assertUnpublished(ctx.engine, create.metadata.name, create.metadata.version);
      // Checked and created one at a time per user, so parallel creations cannot overshoot the cap.
      return oneAtATime(userId, async () => {
        await assertInflightRoom(server, userId, create.length);
        await serveAs({ userId, create: create.metadata });
      });
    }
    const upload = input as ExistingInput;
    // Someone else's upload does not exist, as far as this caller can tell.
    if (upload.userId !== userId) throw NOT_FOUND();
    if (method !== 'HEAD' && isUploadClaimed(ctx.engine, upload.id)) {
      throw new AppError('UPLOAD_IN_USE', 'this upload is being published; it can no longer change');
    }
    await serveAs({ userId, uploadId: upload.id });
  });
  return { served, outcome };
}

const TUS_HEADERS = { 'Tus-Resumable': '1.0.0', 'Cache-Control': 'no-store' };

function errorInit(error: ErrorBody): { status: number; body: string } {
  return { status: httpStatusOf(error.code), body: JSON.stringify({ error }) };
}

/** The upload id in /api/v1/uploads[/<id>] (null for the collection). */
export function uploadIdFromPath(pathname: string): string | null | undefined {
  const m = /^\/api\/v1\/uploads(?:\/([^/]+))?\/?$/.exec(pathname);
  if (!m) return undefined;
  return m[1] ?? null;
}

/** One upload event per PATCH: the bytes the chunk moved the offset by, and how long it took. */
function measureChunk(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const from = Number(req.headers['upload-offset']);
  res.once('close', () => {
    const to = Number(res.getHeader('upload-offset'));
    const bytes = Number.isFinite(from) && Number.isFinite(to) && to > from ? to - from : 0;
    recordUploadEvent(getEngine(), { userId: null, bytes, durationMs: performance.now() - started, status: res.writableFinished ? res.statusCode : CLIENT_CLOSED });
  });
}

/**
 * The origin server's fast path: node req/res straight to tus (no web-stream adapter of
 * Next's), after the same guard.
 */
export async function handleUploadNode(req: IncomingMessage, res: ServerResponse, id: string | null): Promise<void> {
  const method = (req.method ?? 'GET') as TusMethod;
  const headers = headersFromNode(req.headers);
  const where = { method, upload: id };
  req.once('error', (err) => log('warn', 'upload request stream failed', err, where));
  res.once('error', (err) => log('warn', 'upload response stream failed', err, where));
  // Listened for from the start: a client may go away while the guard still runs.
  const closed = new Promise<void>((resolve) => res.once('close', resolve));
  if (method === 'PATCH') measureChunk(req, res);
  try {
    const { served, outcome } = await guardUpload(method, headers, id, async (server) => {
      // A client that goes away may leave tus's response unfinished: stop waiting for it then.
      await Promise.race([server.handle(req, res), closed]);
      return { status: res.writableEnded ? res.statusCode : CLIENT_CLOSED };
    });
    if (served || outcome.ok) return;
    const { status, body } = errorInit(outcome.error);
    res.writeHead(status, { ...TUS_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(method === 'HEAD' ? undefined : body);
  } catch (err) {
    // Typically the client went away mid-transfer; tus keeps what was written (the offset says how much).
    log('warn', 'upload request ended without an answer', err, where);
    res.destroy();
  }
}

export type UploadRouteHandler = ((req: Request, segment?: { params: Promise<Record<string, string | string[] | undefined>> }) => Promise<Response>) & {
  meta: GuardMeta;
};

/** The same endpoint as a Next route handler (`next dev`, or any server without the origin's fast path). */
export function uploadRoute(method: TusMethod): UploadRouteHandler {
  const handler = async (req: Request, segment?: { params: Promise<Record<string, string | string[] | undefined>> }) => {
    const path = (await segment?.params)?.path;
    const parts = Array.isArray(path) ? path : path ? [path] : [];
    const id = parts.length === 0 ? null : parts.length === 1 ? parts[0] : '';
    const { served, outcome } = await guardUpload(method, req.headers, id, async (server) => server.handleWeb(req));
    if (served) return served;
    const { status, body } = outcome.ok ? { status: 500, body: '' } : errorInit(outcome.error);
    return new Response(method === 'HEAD' ? null : body, { status, headers: { ...TUS_HEADERS, 'Content-Type': 'application/json' } });
  };
  return Object.assign(handler, { meta: metaOf(SPECS[method]) });
}
