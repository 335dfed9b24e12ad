import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import type { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { Engine } from '@/lib/engine/engine';
import { isOutOfSpace } from '@/lib/engine/storage/out-of-space';
import type { WriteStreamFactory } from '@/lib/engine/storage/local-blob-store';
import { log } from '../log';
import { OUT_OF_SPACE_ANSWER, UploadFileStore } from './upload-file-store';
import type { StoredUploadMetadata, UploadMetadata } from './upload-metadata';

/** Where the tus endpoint lives (same path under the origin server and under plain Next). */
export const UPLOADS_PATH = '/api/v1/uploads';

const DEFAULT_EXPIRY_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;

/** How long an unfinished upload is kept (TORSH_UPLOAD_EXPIRY_HOURS, default 24). */
export function uploadExpiryMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TORSH_UPLOAD_EXPIRY_HOURS;
  if (raw === undefined || raw === '') return DEFAULT_EXPIRY_HOURS * HOUR_MS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`invalid TORSH_UPLOAD_EXPIRY_HOURS: ${raw}`);
  return Math.round(hours * HOUR_MS);
}

/**
 * Uploads live beside the blob store (same filesystem), so publishing a finished upload renames
 * the file into the store instead of copying it.
 */
export function uploadsDir(engine: Pick<Engine, 'dataDir'>): string {
  return path.join(engine.dataDir, 'uploads');
}

/** An upload's two files in the FileStore: the bytes, and tus's JSON info beside them. */
export function uploadFiles(engine: Pick<Engine, 'dataDir'>, id: string): { data: string; info: string } {
  const data = path.join(uploadsDir(engine), id);
  return { data, info: `${data}.json` };
}

/**
 * What the guard established about the request tus is about to serve: who asks, and either the
 * validated metadata of an upload to create or the id of the (their own) upload to touch.
 */
export type UploaderContext = { userId: number; create?: UploadMetadata; uploadId?: string };

const uploader = new AsyncLocalStorage<UploaderContext>();

/** Run a tus request on behalf of a caller the guard has let through. */
export function runAsUploader<T>(ctx: UploaderContext, fn: () => Promise<T>): Promise<T> {
  return uploader.run(ctx, fn);
}

const refused = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

/**
 * A tus 1.0 server (creation, termination, expiration) over a FileStore. Its hooks fail closed:
 * a request that did not come through the guard (no uploader context), or that names another
 * upload than the one the guard checked, is refused; the uploader's user id is recorded in the
 * upload's metadata by the server, never taken from the client.
 */
export function createUploadServer(opts: {
  directory: string;
  expiryMs: number;
  maxSize: number;
  now?: () => number;
  writeStream?: WriteStreamFactory;
}): Server {
  return new Server({
    path: UPLOADS_PATH,
    datastore: new UploadFileStore({ directory: opts.directory, expiryMs: opts.expiryMs, now: opts.now ?? Date.now, writeStream: opts.writeStream }),
    maxSize: opts.maxSize,
    // Location: /api/v1/uploads/<id>, correct behind a TLS-terminating proxy too.
    relativeLocation: true,
    // Same-origin only: no CORS headers for other origins.
    allowedOrigins: () => false,
    async onIncomingRequest(_req, id) {
      const ctx = uploader.getStore();
      if (!ctx || (!ctx.create && ctx.uploadId !== id)) throw refused(403, 'Forbidden');
    },
    async onUploadCreate() {
      const ctx = uploader.getStore();
      if (!ctx?.create) throw refused(403, 'Forbidden');
      const metadata: StoredUploadMetadata = { ...ctx.create, userId: String(ctx.userId) };
      return { metadata };
    },
    // tus's own answers pass; a thrown exception is logged and answered without its internals.
    onResponseError(req, err) {
      if (!(err instanceof Error)) return undefined;
      log('error', 'upload request failed', err, { method: req.method, url: new URL(req.url).pathname });
      return isOutOfSpace(err) ? OUT_OF_SPACE_ANSWER : { status_code: 500, body: 'internal error; the server log has details\n' };
    },
  });
}

// One server per engine (tests run several engines in one process).
const servers = new WeakMap<Engine, Server>();

export function uploadServer(engine: Engine): Server {
  let server = servers.get(engine);
  if (!server) {
    server = createUploadServer({ directory: uploadsDir(engine), expiryMs: uploadExpiryMs(), maxSize: engine.limits.maxUploadBytes, now: engine.now });
    servers.set(engine, server);
  }
  return server;
}

/** tus's stored info of an upload (its JSON file), or null when there is none. */
export async function readUploadInfo(
  engine: Engine,
  id: string,
): Promise<{ id: string; size?: number; metadata?: Record<string, string | null>; creation_date?: string } | null> {
  const store = uploadServer(engine).datastore as FileStore;
  return (await store.configstore.get(id)) ?? null;
}
