import type http from 'node:http';
import next from 'next';
import { getReadyEngine } from './engine';
import { createHttpServer } from './http-server';

export type OriginOptions = { dir: string; port: number; hostname?: string; dev?: boolean };

/**
 * The origin process: its own router answers every /api/v1 request (lib/server/api-routes.ts,
 * node streams end to end), Next.js the pages and server actions.
 */
export async function startOrigin(opts: OriginOptions): Promise<http.Server> {
  await getReadyEngine(); // migrations, built-in roles and the first admin before taking traffic
  const app = next({ dev: opts.dev ?? false, dir: opts.dir, port: opts.port, hostname: opts.hostname });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createHttpServer({ fallback: (req, res) => handle(req, res) });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.hostname, resolve));
  return server;
}
