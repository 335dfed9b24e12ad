// Phases 2–4 of the registry benchmark: requests under load with wrk, ours beside nginx (1 MiB
// downloads) and Verdaccio (metadata), each row checked with one GET first.
import path from 'node:path';
import { bearer, fail, versionUrl, type BenchContext } from './bench-context';
import { fmt, MB } from './format';
import type { BenchPackage } from './make-package';
import { seedVerdaccio, startVerdaccio, VERDACCIO_VERSION } from './verdaccio';
import { waitForIdle } from './wait-idle';
import type { LoadKey, LoadRow } from './write-results';
import { runWrk, type WrkOptions } from './wrk';

const VERDACCIO_PACKAGE = 'bench-npm-package';
const SEARCH_QUERY = 'bench';

type Check = (body: Buffer) => string | null;

const hasBytes =
  (n: number): Check =>
  (b) =>
    b.length === n ? null : `${b.length} bytes, expected ${n}`;

const jsonWith =
  (needle: string): Check =>
  (b) => {
    const text = b.toString('utf8');
    JSON.parse(text);
    return text.includes(needle) ? null : `the JSON answer does not mention ${needle}`;
  };

/** One GET before the load: the URL must answer 200 and pass `check`, else the figures mean nothing. Returns its time (ms). */
async function preflight(url: string, headers: Record<string, string>, check: Check): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) fail(`GET ${url} answered ${res.status}: ${body.toString('utf8', 0, 300)}`);
  const problem = check(body);
  if (problem) fail(`GET ${url}: ${problem}`);
  return ms;
}

/** `warm: false` skips the warm-up (the route was warmed by an earlier row). */
type Target = { request: string; server: string; url: string; headers?: Record<string, string>; check: Check; warm?: boolean };

/** Waits for the origin to finish requests wrk left behind (it answers them after wrk has gone). */
export async function settle(ctx: BenchContext, after: string): Promise<void> {
  const { idle, seconds } = await waitForIdle(ctx.originPid);
  if (seconds > 2) ctx.log(`the origin was busy for ${fmt(seconds)} s after ${after}${idle ? '' : ' (gave up waiting)'}`);
}

/**
 * Waits until the origin has worked off the previous row's backlog, checks the target with one GET,
 * warms it up, then measures it under load.
 */
async function load(ctx: BenchContext, t: Target): Promise<LoadRow> {
  await settle(ctx, 'the previous row');
  const headers = t.headers ?? {};
  const aloneMs = await preflight(t.url, headers, t.check);
  const opts: WrkOptions = { seconds: ctx.wrkSeconds, headers };
  if (t.warm !== false) {
    await runWrk(t.url, ctx.wrkScript, { ...opts, seconds: ctx.warmupSeconds });
    await settle(ctx, 'the warm-up');
  }
  const result = await runWrk(t.url, ctx.wrkScript, opts);
  ctx.log(
    `${t.server} ${t.request}: alone ${fmt(aloneMs)} ms; under load ${fmt(result.reqPerSec)} req/s, ${fmt(result.bytesPerSec / MB)} MB/s, ` +
      `${result.non2xx} non-2xx, ${result.socketErrors} socket errors`,
  );
  return { request: t.request, server: t.server, aloneMs, result };
}

export async function smallDownloads(ctx: BenchContext, small: BenchPackage): Promise<Pick<Record<LoadKey, LoadRow>, 'nginx-1m' | 'ours-1m'>> {
  const check = hasBytes(small.bytes);
  return {
    'nginx-1m': await load(ctx, { request: 'GET of the 1 MiB package file', server: 'nginx', url: `${ctx.nginx.baseUrl}/${path.basename(small.file)}`, check }),
    'ours-1m': await load(ctx, {
      request: `\`GET /api/v1/packages/${small.name}/${small.version}/download\` (1 MiB)`,
      server: 'ours',
      url: `${versionUrl(ctx.baseUrl, small)}/download`,
      headers: bearer(ctx),
      check,
    }),
  };
}

export async function apiLoad(ctx: BenchContext, name: string, suffix: string, warm: boolean): Promise<[LoadRow, LoadRow]> {
  const common = { server: 'ours', headers: bearer(ctx), check: jsonWith(name), warm };
  return [
    await load(ctx, { ...common, request: `\`GET /api/v1/packages/${name}\`${suffix}`, url: `${ctx.baseUrl}/api/v1/packages/${name}` }),
    await load(ctx, { ...common, request: `\`GET /api/v1/search?q=${SEARCH_QUERY}\`${suffix}`, url: `${ctx.baseUrl}/api/v1/search?q=${SEARCH_QUERY}` }),
  ];
}

export async function verdaccioLoad(ctx: BenchContext, tmp: string, track: (pid: number | null) => void): Promise<LoadRow> {
  const verdaccio = await startVerdaccio(path.join(tmp, 'verdaccio'));
  track(verdaccio.pid);
  try {
    await seedVerdaccio(verdaccio.baseUrl, path.join(tmp, 'verdaccio'), VERDACCIO_PACKAGE);
    return await load(ctx, {
      request: `\`GET /${VERDACCIO_PACKAGE}\` (npm metadata)`,
      server: `Verdaccio ${VERDACCIO_VERSION}`,
      url: `${verdaccio.baseUrl}/${VERDACCIO_PACKAGE}`,
      check: jsonWith(VERDACCIO_PACKAGE),
    });
  } finally {
    await verdaccio.stop();
    track(null);
  }
}
