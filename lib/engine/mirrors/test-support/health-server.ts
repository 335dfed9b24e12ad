import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthServer = {
  url: string;
  port: number;
  /** What GET /api/v1/health answers next (status, body, content type, delay). */
  answer: { status: number; body: string; type: string; delayMs: number };
  /** A mirror health body at this feed position. */
  mirrorBody(position: number, extra?: Record<string, unknown>): string;
  /** Stop listening and drop open connections (the port then refuses). */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  restart(): Promise<void>;
};

/** A real HTTP server on loopback answering /api/v1/health as the test says (probe and check tests). */
export async function startHealthServer(port = 0): Promise<HealthServer> {
  const answer = { status: 200, body: '{}', type: 'application/json', delayMs: 0 };
  const server = http.createServer((req, res) => {
    if (req.url !== '/api/v1/health') {
      res.writeHead(404).end();
      return;
    }
    setTimeout(() => res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body), answer.delayMs);
  });
  const listen = (p: number) => new Promise<void>((resolve) => server.listen(p, '127.0.0.1', resolve));
  await listen(port);
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    answer,
    mirrorBody: (position, extra = {}) =>
      JSON.stringify({
        status: 'ok',
        role: 'mirror',
        version: '0.1.0',
        upstream: 'http://origin.test',
        feed: { position, head: position, lag_changes: 0, lag_seconds: 0, last_contact_at: null, caught_up_at: null, upstream_reachable: true },
        bytes_held: 1234,
        packages: 1,
        versions: 1,
        load: { active_requests: 2 },
        ...extra,
      }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    restart: () => listen(actual),
  };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
