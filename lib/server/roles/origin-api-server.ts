import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrapAccounts } from '@/lib/engine/access/bootstrap';
import { createEngine } from '@/lib/engine/engine';
import { blobStoreFromEnv } from '@/lib/engine/storage/store-from-config';
import { limitsFromEnv } from '@/lib/engine/limits';
import { registerPromMetrics } from '@/lib/engine/observability/prom-metrics';
import { blobCacheFromEnv } from '@/lib/engine/storage/memory-cached-blob-store';
import { getReadyEngine, installEngine } from '../engine';
import { createHttpServer } from '../http-server';
import { startJobWorker, stopJobWorker } from '../jobs';
import type { HeadlessOriginOptions, RunningRole } from './role-types';

/** Answer for every path outside /api/v1 and /metrics: the dashboard is not part of this process. */
function noDashboard(_req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: 'this is a headless origin (torsh serve --role origin): the API lives under /api/v1, the dashboard is not served' } });
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
  return Promise.resolve();
}

export function listenOn(server: http.Server, port: number, host: string | undefined): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      const shown = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${actual}`, port: actual });
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The origin without Next.js: the whole /api/v1 (publish included) and /metrics over the data
 * directory, with its job worker — for CI, scripts and the topology tests.
 */
export async function startHeadlessOrigin(opts: HeadlessOriginOptions): Promise<RunningRole> {
  const engine = createEngine({
    dataDir: opts.dataDir,
    limits: limitsFromEnv(),
    blobs: blobStoreFromEnv(process.env, opts.dataDir),
    blobCache: blobCacheFromEnv(),
  });
  installEngine(engine, bootstrapAccounts(engine, process.env.TORSH_ADMIN_PASSWORD));
  registerPromMetrics(engine);
  startJobWorker(engine);
  await getReadyEngine();
  const server = createHttpServer({ fallback: noDashboard });
  const { url, port } = await listenOn(server, opts.port, opts.host);
  return {
    url,
    port,
    async close() {
      await closeServer(server);
      await stopJobWorker();
      engine.close();
    },
  };
}
