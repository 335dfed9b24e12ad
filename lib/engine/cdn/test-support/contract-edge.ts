import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ContractEdgeCounters = {
  requests: number;
  hits: number;
  misses: number;
  bytes_from_cache: number;
  bytes_from_origin: number;
  evictions: number;
};

/**
 * A test stand-in for an edge process: the three endpoints of the edge contract
 * (docs/API.md, "Edge"), with counters the test sets. Not shipped; the real edge is
 * lib/server/roles/edge-server.ts.
 */
export async function startContractEdge(opts: { purgeToken: string | null; role?: string; healthStatus?: number }) {
  const state = {
    counters: { requests: 0, hits: 0, misses: 0, bytes_from_cache: 0, bytes_from_origin: 0, evictions: 0 } as ContractEdgeCounters,
    startedAt: 1_000,
    purges: [] as { authorization: string | undefined; body: unknown }[],
    down: false,
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-cache': 'MISS' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    if (state.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/api/v1/health') {
        if (opts.healthStatus && opts.healthStatus !== 200) return json(res, opts.healthStatus, { error: { code: 'ROUTE_NOT_FOUND', message: 'no' } });
        return json(res, 200, { status: 'ok', role: opts.role ?? 'edge', version: 'test', origin: 'http://127.0.0.1:1', cache: { entries: 0, bytes: 0, max_bytes: 1 }, load: { active_requests: 0 } });
      }
      if (req.method === 'GET' && path === '/api/v1/cache/stats') {
        return json(res, 200, { ...state.counters, entries: 1, bytes: 10, max_bytes: 100, started_at: state.startedAt });
      }
      if (req.method === 'POST' && path === '/api/v1/cache/purge') {
        if (opts.purgeToken === null) return json(res, 403, { error: { code: 'FORBIDDEN', message: 'no purge token configured' } });
        if (req.headers.authorization !== `Bearer ${opts.purgeToken}`) return json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'wrong purge token' } });
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (!body.all && !body.name) return json(res, 400, { error: { code: 'INVALID_INPUT', message: 'name or all' } });
        state.purges.push({ authorization: req.headers.authorization, body });
        return json(res, 200, { purged: body.all ? 3 : 1, bytes: body.all ? 300 : 100 });
      }
      json(res, 404, { error: { code: 'ROUTE_NOT_FOUND', message: 'not here' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    /** The edge restarted: counters from zero, a new start time. */
    restart(counters: Partial<ContractEdgeCounters> = {}) {
      state.counters = { requests: 0, hits: 0, misses: 0, bytes_from_cache: 0, bytes_from_origin: 0, evictions: 0, ...counters };
      state.startedAt += 1;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A free loopback port with nothing listening on it (taken, then released). */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
