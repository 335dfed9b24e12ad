import { AppError } from '@/lib/engine/errors';
import type { Readable } from 'node:stream';
import { requestBody } from './node-streams';

const MiB = 1024 * 1024;

/** TORSH_MAX_JSON_BYTES: largest JSON request body (default 1 MiB). */
export function maxJsonBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TORSH_MAX_JSON_BYTES;
  if (!raw) return MiB;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error('TORSH_MAX_JSON_BYTES must be a positive number of bytes');
  return n;
}

const tooLarge = (limit: number) => new AppError('BODY_TOO_LARGE', `the JSON body exceeds the limit of ${limit} bytes`, { limit });

/**
 * A JSON request body, bounded: refused before reading when Content-Length says it is too
 * large, and while streaming otherwise (chunked bodies). An empty body parses as {}.
 */
export async function readJsonBody(req: Request, limit = maxJsonBytes()): Promise<unknown> {
  return readJsonStream(requestBody(req), req.headers.get('content-length'), limit);
}

/** readJsonBody for a node stream (a node server's IncomingMessage) and its declared Content-Length. */
export async function readJsonStream(body: Readable, declared: string | null | undefined, limit = maxJsonBytes()): Promise<unknown> {
  if (declared != null && Number(declared) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        throw tooLarge(limit);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('UPLOAD_ABORTED', 'the client closed the connection before the body was complete');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'the request body must be JSON');
  }
}
