import { mkdir } from 'node:fs/promises';
import type { FileStore } from '@tus/file-store';
import type { Server } from '@tus/server';
import { AppError } from '@/lib/engine/errors';

const GiB = 1024 ** 3;
const DEFAULT_MAX_INFLIGHT_UPLOAD_BYTES = 64 * GiB;

/** The most bytes one user's uploads may declare at once (TORSH_MAX_INFLIGHT_UPLOAD_BYTES, default 64 GiB). */
export function maxInflightUploadBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TORSH_MAX_INFLIGHT_UPLOAD_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_INFLIGHT_UPLOAD_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid TORSH_MAX_INFLIGHT_UPLOAD_BYTES: ${raw}`);
  return n;
}

/** What a user's uploads declare (Upload-Length), finished or not, until published, cancelled or expired. */
async function inflightUploadBytes(server: Server, userId: number): Promise<number> {
  const store = server.datastore as FileStore;
  await mkdir(store.directory, { recursive: true });
  let total = 0;
  for (const id of await store.configstore.list!()) {
    const info = await store.configstore.get(id);
    if (info?.metadata?.userId === String(userId)) total += info.size ?? 0;
  }
  return total;
}

/** Refuse (413) an upload of `length` bytes that would take the user past the cap. */
export async function assertInflightRoom(server: Server, userId: number, length: number): Promise<void> {
  const cap = maxInflightUploadBytes();
  const inflight = await inflightUploadBytes(server, userId);
  if (inflight + length <= cap) return;
  throw new AppError(
    'BODY_TOO_LARGE',
    `your uploads in progress already hold ${inflight} bytes; ${length} more would pass the limit of ${cap} bytes per user (TORSH_MAX_INFLIGHT_UPLOAD_BYTES): publish or cancel an upload first`,
  );
}

const tails = new Map<number, Promise<unknown>>();

/** Run `fn` once the same user's previous one has finished (a check and the creation it allows stay together). */
export async function oneAtATime<T>(userId: number, fn: () => Promise<T>): Promise<T> {
  const run = (tails.get(userId) ?? Promise.resolve()).then(fn);
  const tail = run.catch(() => undefined);
  tails.set(userId, tail);
  try {
    return await run;
  } finally {
    if (tails.get(userId) === tail) tails.delete(userId);
  }
}
