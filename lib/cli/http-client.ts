import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import type { Config } from './config';
import { CliError, EXIT, HttpError, NetworkError } from './exit-codes';
import { note } from './output';
import { withRetries } from './retry';
import { cleanLine } from './sanitize';
import { CLI_VERSION } from './version';

export type StreamBody = {
  /** Opens the body afresh (called once per attempt). */
  open: () => Readable;
  length: number;
  onProgress?: (bytesSent: number) => void;
};

export type RequestOptions = {
  method: string;
  /** Path under the registry, e.g. /api/v1/search?q=x. */
  path: string;
  /** An absolute URL instead of `path` (a mirror or edge the registry named); the token still goes to the registry's origin only. */
  url?: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: StreamBody;
  /** Send the token (default true). */
  auth?: boolean;
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'HPE_INVALID_CONSTANT',
]);

/** True for errors that come from the connection rather than from local files. */
export function isNetworkFailure(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('HPE_'))) || (err as Error)?.message === 'aborted';
}

/** `registry` is the URL that failed; `what` names it (default "the registry"). */
export function toNetworkError(err: unknown, registry: string, what = 'the registry'): NetworkError {
  if (err instanceof NetworkError) return err;
  const e = err as NodeJS.ErrnoException;
  const host = new URL(registry).host;
  const reason = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? 'host not found' : e.message;
  return new NetworkError(`cannot reach ${what} at ${host}: ${reason}`, e.code);
}

/** Paths are relative to the registry URL, which may carry a path prefix (https://host/torsh). */
function urlFor(cfg: Config, path: string): URL {
  return new URL(path.replace(/^\/+/, ''), `${cfg.registry}/`);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * One attempt: resolves with the response once its headers arrive; the body is left to the
 * caller. GET and HEAD follow redirects (a CDN or mirror may serve the bytes); the token is only
 * sent to the registry's own origin.
 */
export async function sendOnce(cfg: Config, opts: RequestOptions): Promise<IncomingMessage> {
  const origin = new URL(cfg.registry).origin;
  let url = opts.url ? new URL(opts.url) : urlFor(cfg, opts.path);
  for (let hop = 0; ; hop++) {
    const res = await sendTo(cfg, url, opts, url.origin === origin, url.origin === origin ? 'the registry' : 'the server');
    const location = res.headers.location;
    const follow = (opts.method === 'GET' || opts.method === 'HEAD') && REDIRECTS.has(res.statusCode ?? 0) && location;
    if (!follow) return res;
    res.resume();
    if (hop >= MAX_REDIRECTS) throw new NetworkError(`more than ${MAX_REDIRECTS} redirects from ${opts.path}`);
    url = new URL(location, url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new NetworkError(`redirected to an unsupported URL: ${url.href}`);
  }
}

function sendTo(cfg: Config, url: URL, opts: RequestOptions, sameOrigin: boolean, what: string): Promise<IncomingMessage> {
  const headers: Record<string, string> = { 'user-agent': `torsh-cli/${CLI_VERSION} node/${process.versions.node}`, accept: 'application/json', ...opts.headers };
  if ((opts.auth ?? true) && cfg.token && sameOrigin) headers.authorization = `Bearer ${cfg.token}`;
  let payload: Buffer | null = null;
  if (opts.json !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.json));
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  } else if (opts.body) {
    headers['content-type'] ??= 'application/octet-stream';
    headers['content-length'] = String(opts.body.length);
  }
  const client = url.protocol === 'https:' ? https : http;

  return new Promise<IncomingMessage>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const req = client.request(url, { method: opts.method, headers });
    if (cfg.timeoutMs > 0) {
      req.setTimeout(cfg.timeoutMs, () => req.destroy(new NetworkError(`no data from ${what} for ${(cfg.timeoutMs / 1000).toFixed(1)} s (timeout)`, 'ETIMEDOUT')));
    }
    req.on('error', (err) => settle(() => reject(toNetworkError(err, url.href, what))));
    if (!opts.body) {
      req.on('response', (res) => settle(() => resolve(res)));
      req.end(payload ?? undefined);
      return;
    }
    const { onProgress } = opts.body;
    let sent = 0;
    const counter = new Transform({
      highWaterMark: 1 << 20,
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        onProgress?.(sent);
        done(null, chunk);
      },
    });
    const source = opts.body.open();
    source.on('error', (err) => {
      settle(() => reject(err));
      req.destroy();
    });
    req.on('response', (res) => {
      // An early answer (409, 413, 401) ends the upload: stop sending, drop the connection after it.
      if (!req.writableFinished) {
        source.unpipe(counter);
        counter.unpipe(req);
        source.destroy();
        res.on('close', () => req.destroy());
      }
      settle(() => resolve(res));
    });
    source.pipe(counter).pipe(req);
  });
}

/** Reads a (small) response body as text, converting connection failures. */
export async function readText(res: IncomingMessage, registry: string, limit = 16 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new CliError(EXIT.UNAVAILABLE, `the registry's answer is larger than ${limit} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    throw isNetworkFailure(err) ? toNetworkError(err, registry) : err;
  }
  return Buffer.concat(chunks).toString('utf8');
}

// An error code is shown after the message; anything but an upper-case word is dropped.
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Turns a non-2xx response into an HttpError carrying the server's {error: {code, message}}. */
export async function httpErrorFrom(res: IncomingMessage, registry: string): Promise<HttpError> {
  const status = res.statusCode ?? 0;
  let text = '';
  try {
    text = await readText(res, registry, 1 << 20);
  } catch {
    // the status alone will do
  }
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof message === 'string' && message) {
      return new HttpError(status, cleanLine(message), typeof code === 'string' && ERROR_CODE.test(code) ? code : undefined);
    }
  } catch {
    // not JSON
  }
  return new HttpError(status, `the registry answered ${status} ${cleanLine(res.statusMessage ?? '')}`.trim());
}

export function retryNotice(err: unknown, attempt: number, delayMs: number): void {
  const why = err instanceof HttpError ? `HTTP ${err.status}` : err instanceof Error ? err.message : String(err);
  note(`torsh: ${why}; retrying in ${(delayMs / 1000).toFixed(1)} s (retry ${attempt})\n`);
}

/** A request with retries whose JSON answer is returned; non-2xx become HttpError. */
export async function requestJson<T>(cfg: Config, opts: RequestOptions): Promise<{ status: number; headers: IncomingHttpHeaders; body: T }> {
  return withRetries(
    async () => {
      const res = await sendOnce(cfg, opts);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) throw await httpErrorFrom(res, cfg.registry);
      const text = await readText(res, cfg.registry);
      try {
        return { status, headers: res.headers, body: (text === '' ? null : JSON.parse(text)) as T };
      } catch {
        throw new CliError(EXIT.UNAVAILABLE, `the registry's answer to ${opts.method} ${opts.path} is not JSON`);
      }
    },
    { retries: cfg.retries, onRetry: retryNotice },
  );
}

export const enc = encodeURIComponent;
