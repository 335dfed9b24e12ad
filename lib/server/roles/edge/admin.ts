import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { EdgeCache, PurgeSelector } from '@/lib/engine/edge-cache';
import { sendError, sendJson } from './respond';

const MAX_PURGE_BODY = 4096;

const ZPurge = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ name: z.string().min(1).max(64), version: z.string().min(1).max(128).optional() }).strict(),
]);

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of a presented bearer token with the configured one. */
export function tokenMatches(header: string | undefined, expected: string): boolean {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m !== null && timingSafeEqual(digest(m[1]), digest(expected));
}

/** A small JSON body, refused past `limit` bytes; undefined when it is not JSON or too large. */
async function readSmallJson(req: http.IncomingMessage, limit: number): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return { ok: false, status: 413, message: `the body exceeds ${limit} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return { ok: false, status: 413, message: `the body exceeds ${limit} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
  } catch {
    return { ok: false, status: 400, message: 'the body must be JSON' };
  }
}

/** POST /api/v1/cache/purge: the purge token first, then a body naming what goes. */
export async function purge(req: http.IncomingMessage, res: http.ServerResponse, cache: EdgeCache, purgeToken: string | undefined): Promise<void> {
  if (!purgeToken) {
    sendError(res, 403, 'FORBIDDEN', 'this edge has no purge token configured (--purge-token or TORSH_PURGE_TOKEN), so it refuses purges', { connection: 'close' });
    return;
  }
  if (!tokenMatches(req.headers.authorization, purgeToken)) {
    sendError(res, 401, 'UNAUTHENTICATED', 'purging needs Authorization: Bearer <the edge purge token>', { 'www-authenticate': 'Bearer', connection: 'close' });
    return;
  }
  const body = await readSmallJson(req, MAX_PURGE_BODY);
  if (!body.ok) {
    sendError(res, body.status, body.status === 413 ? 'BODY_TOO_LARGE' : 'INVALID_INPUT', body.message, body.status === 413 ? { connection: 'close' } : {});
    return;
  }
  const parsed = ZPurge.safeParse(body.value);
  if (!parsed.success) {
    sendError(res, 400, 'INVALID_INPUT', 'name what to purge: {"name", "version"}, {"name"} or {"all": true}');
    return;
  }
  sendJson(res, 200, await cache.purge(parsed.data as PurgeSelector));
}
