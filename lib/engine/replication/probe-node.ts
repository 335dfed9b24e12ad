import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { AppError } from '../errors';
import type { NodeBackendSecret, NodeStorage } from './types';

export type NodeProbeResult = { ok: true; latencyMs: number; error: null } | { ok: false; latencyMs: number | null; error: string };

const PROBE_BYTES = 64;

/** Errno codes of a folder that cannot be written, in words. */
const FS_REASONS: Record<string, string> = {
  ENOTDIR: 'a parent of the folder is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is in the way',
  ENAMETOOLONG: 'the path is too long',
};

/** Replace every secret's value in a message (defence in depth: SDK messages should not echo them). */
export function redactSecrets(message: string, secret: NodeBackendSecret | null | undefined): string {
  let out = message;
  for (const value of [secret?.secret_access_key, secret?.connection_string]) {
    if (value && value.length >= 4) out = out.split(value).join('[redacted]');
  }
  // A connection string's key can surface alone (AccountKey=…;): never show one.
  return out.replace(/(AccountKey|SharedAccessSignature|sig)=[^;&\s]+/gi, '$1=[redacted]');
}

/** Why one probe step failed, in an admin's words (the storage layers already name bucket, container, endpoint). */
export function probeFailure(err: unknown, step: string): string {
  if (err instanceof AppError) {
    if (err.code === 'INSUFFICIENT_STORAGE') return `${step} failed: the node's storage is full`;
    // The storage layers name the blob by digest: a random probe's digest tells an admin nothing.
    return `${step} failed: ${err.message.replace(/(blob )?sha256:[0-9a-f]{64}/g, 'the probe object')}`;
  }
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && e.code in FS_REASONS) {
    return `${step} failed: the folder is not writable (${FS_REASONS[e.code]}: ${e.code}${e.path ? ` at ${e.path}` : ''})`;
  }
  return `${step} failed: ${e?.message ?? String(err)}`;
}

class ProbeTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/**
 * One round trip through a node's blob store: write a small random probe blob, read it back and
 * compare, delete it. A folder node's directories are created on the way (mkdir -p, like
 * `restic init`). Never throws; the whole probe is bounded by `timeoutMs`.
 */
export async function probeNode(storage: NodeStorage, timeoutMs: number, opts: { secret?: NodeBackendSecret | null } = {}): Promise<NodeProbeResult> {
  const bytes = randomBytes(PROBE_BYTES);
  const started = performance.now();
  let step = 'writing a probe object';
  let digest: string | null = null;
  const run = async () => {
    digest = (await storage.blobs.put(Readable.from([bytes]), { expectedSize: PROBE_BYTES })).digest;
    step = 'reading the probe object back';
    const back = await buffer(await storage.blobs.get(digest));
    if (!back.equals(bytes)) throw new Error('the probe object read back differs from what was written');
    step = 'deleting the probe object';
    await storage.blobs.delete(digest);
    digest = null;
  };
  try {
    await withTimeout(run(), timeoutMs);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10, error: null };
  } catch (err) {
    const reason = err instanceof ProbeTimeout ? `${step} got ${err.message}` : probeFailure(err, step);
    // A probe that wrote but failed later leaves no litter when the node still answers.
    const left = digest as string | null;
    if (left) void storage.blobs.delete(left).catch(() => {});
    return { ok: false, latencyMs: null, error: redactSecrets(reason, opts.secret) };
  }
}
