import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';

/**
 * A failed upstream call. `status` is the HTTP status, or null when the upstream could not be
 * reached at all (refused, reset, timed out): then the mirror reports it unreachable and retries.
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
  get unreachable(): boolean {
    return this.status === null || this.status >= 500;
  }
}

export type UpstreamClient = {
  readonly url: string;
  /** GET a JSON answer of the read API (`/api/v1/...`). */
  json<T>(path: string, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T>;
  /** GET a body as a node stream (a package download), with the response's headers. */
  stream(path: string, signal?: AbortSignal): Promise<{ body: Readable; headers: Headers }>;
};

const DEFAULT_TIMEOUT_MS = 30_000;

/** The read API of the registry a mirror follows (an origin or another mirror). */
export function createUpstreamClient(opts: { url: string; token?: string }): UpstreamClient {
  const base = opts.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'torsh-mirror' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;

  async function get(path: string, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { headers, signal, redirect: 'follow' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new UpstreamError(`upstream ${base} unreachable (${cause}) on GET ${path}`, null);
    }
    if (!res.ok) {
      let code: string | null = null;
      try {
        code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? null;
      } catch {
        // not a JSON error body
      }
      throw new UpstreamError(`upstream answered ${res.status}${code ? ` ${code}` : ''} on GET ${path}`, res.status, code);
    }
    return res;
  }

  return {
    url: base,
    async json<T>(path: string, o: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
      const timeout = AbortSignal.timeout(o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const res = await get(path, o.signal ? AbortSignal.any([timeout, o.signal]) : timeout);
      try {
        return (await res.json()) as T;
      } catch (err) {
        throw new UpstreamError(`upstream sent a malformed answer on GET ${path}: ${(err as Error).message}`, null);
      }
    },
    async stream(path: string, signal?: AbortSignal) {
      const res = await get(path, signal);
      if (!res.body) throw new UpstreamError(`upstream sent no body on GET ${path}`, res.status);
      return { body: Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), headers: res.headers };
    },
  };
}

export const packagePath = (name: string) => `/api/v1/packages/${encodeURIComponent(name)}`;
export const versionPath = (name: string, version: string) => `${packagePath(name)}/${encodeURIComponent(version)}`;
