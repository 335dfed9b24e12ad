import type http from 'node:http';
import { createEngine } from '@/lib/engine/engine';
import { blobStoreFromEnv } from '@/lib/engine/storage/store-from-config';
import { nextCronRun } from '@/lib/engine/jobs/schedules';
import type { JobHandler } from '@/lib/engine/jobs/types';
import { startWorker } from '@/lib/engine/jobs/worker';
import { limitsFromEnv } from '@/lib/engine/limits';
import { createUpstreamClient, mirrorConcurrencyFromEnv, scrubBlobs, startFollower } from '@/lib/engine/mirror';
import { registerPromMetrics } from '@/lib/engine/observability/prom-metrics';
import { createApiMatcher } from '../api-router';
import { API_ROUTES, type ApiRoute } from '../api-routes';
import { installEngine } from '../engine';
import { HOUSEKEEPING_HANDLERS, HOUSEKEEPING_SCHEDULES } from '../housekeeping-jobs';
import { createHttpServer } from '../http-server';
import { jobWorkerEnabled } from '../jobs';
import { log } from '../log';
import { closeServer, listenOn } from './origin-api-server';
import { mirrorHealthHandler, setMirrorLive } from './mirror-health';
import { mirrorTrustedKeysHandler } from './mirror-keys';
import type { MirrorOptions, RunningRole } from './role-types';

const PKG = '/api/v1/packages/:name';
const VER = `${PKG}/:version`;

/**
 * The read API a mirror serves: the origin's own handlers over the mirror's database, and its
 * own change feed (what it applied, in its own seq order) so another mirror can follow it.
 */
const MIRROR_READS = new Set(['GET /api/v1/search', 'GET /api/v1/changes', `GET ${PKG}`, `GET ${PKG}/channels`, `GET ${VER}`, `GET ${VER}/download`, `HEAD ${VER}/download`]);

export const MIRROR_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/api/v1/health', handler: mirrorHealthHandler },
  { method: 'GET', path: '/api/v1/keys/trusted', handler: mirrorTrustedKeysHandler },
  ...API_ROUTES.filter((r) => MIRROR_READS.has(`${r.method} ${r.path}`)),
];

export const SCRUB_JOB = 'mirror.scrub';

/** TORSH_MIRROR_SCRUB_CRON: when the scrub re-hashes every blob (UTC cron; a sixth leading field is seconds). */
export function scrubCronFromEnv(env: Record<string, string | undefined> = process.env): string {
  const cron = env.TORSH_MIRROR_SCRUB_CRON || '23 * * * *';
  try {
    nextCronRun(cron, Date.now());
  } catch (err) {
    throw new Error(`TORSH_MIRROR_SCRUB_CRON: ${(err as Error).message}`);
  }
  return cron;
}

function notHere(_req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = JSON.stringify({ error: { code: 'ROUTE_NOT_FOUND', message: 'this is a read-only mirror (torsh serve --role mirror): it serves the read API under /api/v1' } });
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
  return Promise.resolve();
}

/**
 * A read-only mirror: follows the upstream's change feed into its own data directory (its own
 * SQLite and blob store) and serves the read API from there with the origin's handlers. It holds
 * public packages only and has no accounts: credentials sent to it are ignored.
 */
export async function startMirrorServer(opts: MirrorOptions): Promise<RunningRole> {
  const concurrency = mirrorConcurrencyFromEnv();
  const scrubCron = scrubCronFromEnv();
  // No in-memory blob cache: what a mirror serves is what its disk holds (the scrub repairs that).
  const engine = createEngine({ dataDir: opts.dataDir, limits: limitsFromEnv(), blobs: blobStoreFromEnv(process.env, opts.dataDir) });
  installEngine(engine);
  registerPromMetrics(engine);
  const upstream = createUpstreamClient({ url: opts.upstream, token: opts.token });
  const follower = startFollower({
    engine,
    upstream,
    concurrency,
    onNote: (msg, fields) => log('warn', msg, undefined, { upstream: upstream.url, ...fields }),
  });

  const scrub: JobHandler = {
    kind: SCRUB_JOB,
    leaseMs: 10 * 60_000,
    maxAttempts: 1,
    run: async ({ signal }) => {
      const result = await scrubBlobs(engine, upstream, { signal });
      if (result.bad > 0) log('warn', 'mirror scrub found damaged blobs', undefined, { ...result });
      return result;
    },
  };
  const worker = jobWorkerEnabled()
    ? startWorker(engine, [...HOUSEKEEPING_HANDLERS, scrub], {
        schedules: [...HOUSEKEEPING_SCHEDULES, { name: SCRUB_JOB, cron: scrubCron, kind: SCRUB_JOB }],
        onError: (err) => log('error', 'job worker failed', err),
        onJobError: (job, err) => log('warn', 'job failed', err, { kind: job.kind, job: job.id }),
      })
    : null;

  let active = 0;
  setMirrorLive({ upstream: upstream.url, reachable: follower.reachable, startedAt: follower.startedAt, activeRequests: () => active });
  const server = createHttpServer({ fallback: notHere, match: createApiMatcher(MIRROR_ROUTES) });
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The mirror has no accounts: an origin token or cookie must not turn a public read into a 401.
    delete req.headers.authorization;
    delete req.headers.cookie;
    active++;
    res.once('close', () => active--);
  });
  const { url, port } = await listenOn(server, opts.port, opts.host);
  return {
    url,
    port,
    async close() {
      await follower.stop();
      await closeServer(server);
      await worker?.stop();
      setMirrorLive(undefined);
      engine.close();
    },
  };
}
