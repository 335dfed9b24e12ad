import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback } from './loopback';

// Small real servers playing mirrors for the failover tests: dead, silent, corrupting, flaky, or
// serving the right bytes the way a mirror does (ETag, digest header, Range + If-Range).

export type TestMirror = { url: string; requests: http.IncomingHttpHeaders[]; close: () => Promise<void> };
export type MirrorHandler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;
type Serve = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A loopback server answering with `handle`; `n` counts requests from 1. */
export async function startMirror(handle: MirrorHandler): Promise<TestMirror> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    handle(req, res, requests.length);
  });
  return { ...(await listenOnLoopback(server)), requests };
}

/** Serves `body` like a mirror (ETag and X-Torsh-Digest of `digest`, Range with If-Range). */
export function serveBytes(body: Buffer, digest: string): Serve {
  return (req, res) => {
    const headers = { etag: `"sha256:${digest}"`, 'x-torsh-digest': `sha256:${digest}`, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && req.headers['if-range'] === headers.etag) {
      const start = Number(m[1]);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': body.length - start });
      return res.end(body.subarray(start));
    }
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
  };
}

/** The same bytes with one flipped, still claiming the right digest in its headers. */
export function serveCorrupted(body: Buffer, digest: string): Serve {
  const wrong = Buffer.from(body);
  wrong[wrong.length >> 1] ^= 0xff;
  return serveBytes(wrong, digest);
}

/** A loopback port nobody listens on: connection refused. */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
