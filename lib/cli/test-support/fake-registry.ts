import http from 'node:http';
import { listenOnLoopback } from './loopback';

export type SeenRequest = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
export type Answer = { status?: number; json?: unknown; body?: string | Buffer; headers?: Record<string, string> };
/** `"METHOD /path"` (the path without the query) → the answer, or a function of the request. */
export type Routes = Record<string, Answer | ((req: SeenRequest) => Answer)>;

export type FakeRegistry = { url: string; requests: SeenRequest[]; close: () => Promise<void> };

/**
 * A loopback HTTP server answering exactly the documented responses a test gives it: the peer
 * for CLI tests of server features that land separately, and the hostile server of the
 * sanitising tests. Anything not in `routes` is a 404 in the registry's error shape.
 */
export async function startFakeRegistry(routes: Routes): Promise<FakeRegistry> {
  const requests: SeenRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(seen);
    const route = routes[`${seen.method} ${seen.url.split('?')[0]}`];
    const answer = typeof route === 'function' ? route(seen) : (route ?? { status: 404, json: { error: { code: 'NOT_FOUND', message: `no route ${seen.method} ${seen.url}` } } });
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    const type = answer.json !== undefined ? { 'content-type': 'application/json' } : {};
    res.writeHead(answer.status ?? 200, { ...type, 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
    res.end(body);
  });
  return { ...(await listenOnLoopback(server)), requests };
}
