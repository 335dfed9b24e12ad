import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { actorForUser } from '@/lib/engine/access/actor-for-user';
import { createSession } from '@/lib/engine/access/sessions';
import { createToken } from '@/lib/engine/access/tokens';
import { createUser, getUser } from '@/lib/engine/access/users';
import { registerPromMetrics } from '@/lib/engine/observability/prom-metrics';
import { tempEngine, type TempEngineOptions } from '@/lib/engine/test-support/temp-engine';
import { installEngine } from '../engine';
import { createHttpServer } from '../http-server';
import type { ServerTimeouts } from '../server-timeouts';

export type ApiTestServer = {
  url: string;
  port: number;
  engine: Awaited<ReturnType<typeof tempEngine>>;
  server: http.Server;
  /** A user with these built-in roles: a bearer token and a session cookie value. */
  user(name: string, roles: string[]): Promise<{ id: number; token: string; session: string }>;
  close(): Promise<void>;
};

/**
 * The real HTTP server of every role (without Next: non-API paths answer 404) on a loopback
 * port, over a temp engine installed as the process engine. `opts.blobs` builds another primary
 * blob store (e.g. an S3 bucket) from the engine's blob directory path.
 */
export async function startApiTestServer(
  timeouts?: ServerTimeouts,
  opts: { blobs?: TempEngineOptions['blobs']; clock?: TempEngineOptions['clock'] } = {},
): Promise<ApiTestServer> {
  const engine = await tempEngine({}, opts);
  await bootstrapAccounts(engine, undefined);
  installEngine(engine);
  registerPromMetrics(engine);
  const server = createHttpServer({
    timeouts,
    fallback: async (_req, res) => {
      res.statusCode = 404;
      res.end('not found');
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    engine,
    server,
    async user(name, roles) {
      const { id } = await createUser(engine, { username: name, email: `${name}@x.test`, password: 'test-password-1', roles });
      const actor = actorForUser(engine, getUser(engine, id), { sessionId: 'setup' });
      return { id, token: createToken(engine, actor, { name: 'test' }).token, session: createSession(engine, id, { clientAddr: null, userAgent: null }).token };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.cleanup();
    },
  };
}
