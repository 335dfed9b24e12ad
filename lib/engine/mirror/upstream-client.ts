import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

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
  /** GET a body as a node stream (a package download). */
  stream(path: string, signal?: AbortSignal): Promise<{ body: Readable }>;
};

/** A connection silent this long fails the blob download (the caller retries later). */
const STREAM_IDLE_MS = 60_000;

const DEFAULT_TIMEOUT_MS = 30_000;
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

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
    /**
     * Package bytes through node:http with a keep-alive agent, not fetch: undici's web stream
     * turned into a node stream measured several times slower for large blobs. No redirects
     * are followed here (a registry's download answers its bytes).
     */
    stream(path: string, signal?: AbortSignal) {
      const url = new URL(`${base}${path}`);
      const client = url.protocol === 'https:' ? https : http;
      return new Promise<{ body: Readable }>((resolve, reject) => {
        const req = client.get(url, { headers: { ...headers, accept: 'application/octet-stream' }, agent: url.protocol === 'https:' ? httpsAgent : httpAgent, signal }, (res) => {
          const status = res.statusCode ?? 0;
          if (status === 200) return resolve({ body: res });
          res.resume();
          reject(new UpstreamError(`upstream answered ${status} on GET ${path}`, status));
        });
        req.setTimeout(STREAM_IDLE_MS, () => req.destroy(new Error(`no data for ${STREAM_IDLE_MS} ms`)));
        req.once('error', (err) => {
          const code = (err as NodeJS.ErrnoException).code ?? err.name;
          reject(new UpstreamError(`upstream ${base} unreachable (${code}) on GET ${path}`, null));
        });
      });
    },
  };
}

export const packagePath = (name: string) => `/api/v1/packages/${encodeURIComponent(name)}`;
export const versionPath = (name: string, version: string) => `${packagePath(name)}/${encodeURIComponent(version)}`;
