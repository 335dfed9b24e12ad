import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '@/lib/engine/actor';
import type { Engine } from '@/lib/engine/engine';
import { findHubEntry, hubEntries, hubEtag, hubPage, hubRepoFor, modelInfoView, openHubFile, pathsInfoView, recordHubDownload, resolveHubRevision, treeView, type HubEntry, type HubRepo, type HubRevision } from '@/lib/engine/hf';
import { reportError } from '@/lib/engine/observability/error-counter';
import { measureApiRequest } from '../api-router';
import { meter } from '../byte-meter';
import { clientRegionOf } from '../client-region';
import { getReadyEngine } from '../engine';
import { originBaseUrl } from '../mirror-locations';
import { readJsonStream } from '../read-json-body';
import { headersFromNode } from '../node-headers';
import { clientAddrFrom } from '../request-context';
import { hubActor } from './hub-auth';
import { hubError, hubErrorOf } from './hub-errors';
import type { HubRequest } from './hub-path';
import { planResolve } from './resolve-headers';

const MAX_PATHS_INFO_BYTES = 1024 * 1024;
/** Paths per paths-info request (the clients send a handful; snapshotDownload lists with tree). */
const MAX_PATHS = 10_000;

async function send(res: ServerResponse, response: Response, method: string): Promise<void> {
  res.statusCode = response.status;
  for (const [k, v] of response.headers) res.setHeader(k, v);
  const buf = Buffer.from(await response.arrayBuffer());
  res.setHeader('content-length', buf.length);
  res.end(method === 'HEAD' ? undefined : buf);
}

function json(body: unknown): Response {
  return Response.json(body, { headers: { 'cache-control': 'private, no-cache', vary: 'Authorization, Cookie' } });
}

/** `Link: <…>; rel="next"` for the tree page after this one: the same listing, pinned to the commit. */
function nextLink(req: IncomingMessage, r: Extract<HubRequest, { kind: 'tree' }>, commit: string, query: URLSearchParams, cursor: string): string {
  const base = originBaseUrl({ url: `http://${req.headers.host ?? 'localhost'}/` });
  const repo = r.repo.map(encodeURIComponent).join('/');
  const path = r.path === '' ? '' : '/' + r.path.split('/').map(encodeURIComponent).join('/');
  const next = new URLSearchParams(query);
  next.set('cursor', cursor);
  return `<${base}/api/models/${repo}/tree/${commit}${path}?${next}>; rel="next"`;
}

function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

function repoOf(engine: Engine, actor: Actor, repo: string[]): HubRepo {
  return repo.length === 1 ? hubRepoFor(engine, actor, null, repo[0]) : hubRepoFor(engine, actor, repo[0], repo[1]);
}

async function serveResolve(engine: Engine, actor: Actor, req: IncomingMessage, res: ServerResponse, r: Extract<HubRequest, { kind: 'resolve' }>, headers: Headers): Promise<void> {
  const repo = repoOf(engine, actor, r.repo);
  const rev = resolveHubRevision(engine, repo, r.rev);
  const entries = await hubEntries(engine, rev.row);
  const entry = findHubEntry(repo, entries, r.path);
  const query = queryOf(req);
  const plan = planResolve(
    { path: entry.path, size: entry.size, etag: hubEtag(entry), commit: rev.commit },
    { range: headers.get('range'), ifNoneMatch: headers.get('if-none-match'), noContentDisposition: query.has('noContentDisposition') },
  );
  const bodiless = req.method === 'HEAD' || plan.status === 304 || plan.status === 416;
  // Opened before any header is set: a failure here still answers the Hub's error shape, clean.
  const source = bodiless ? null : await openHubFile(engine, rev.row, entry, plan.range ?? undefined);
  res.statusCode = plan.status;
  for (const [k, v] of Object.entries(plan.headers)) res.setHeader(k, v);
  if (!source) {
    res.end();
    return;
  }
  // The 1-byte probe clients send before a download is not a download.
  const probe = plan.range !== null && plan.range.start === 0 && plan.range.end === 0 && entry.size > 1;
  await pipeBytes(engine, source, res, probe ? null : { repo, rev, entry, actor, isRange: plan.range !== null, status: plan.status, clientAddr: clientAddrFrom(headers), region: clientRegionOf(headers) });
}

async function pipeBytes(
  engine: Engine,
  source: NodeJS.ReadableStream,
  res: ServerResponse,
  event: { repo: HubRepo; rev: HubRevision; entry: HubEntry; actor: Actor; isRange: boolean; status: number; clientAddr: string | null; region: string | null } | null,
): Promise<void> {
  const started = Date.now();
  // The package download's meter: one event when the body ends, or when the client goes away.
  const counted = meter((bytesSent, completed) => {
    if (!event) return;
    recordHubDownload(engine, event.repo, event.rev, event.entry.path, {
      status: event.status,
      bytesSent,
      durationMs: Date.now() - started,
      isRange: event.isRange,
      completed,
      clientAddr: event.clientAddr,
      userId: event.actor.userId,
      region: event.region,
    });
  });
  try {
    await pipeline(source, counted, res);
  } catch (err) {
    if (!res.destroyed || (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') reportError('hf.resolve.stream', err, { path: event?.entry.path });
    res.destroy();
  }
}

async function answer(engine: Engine, actor: Actor, req: IncomingMessage, r: HubRequest): Promise<Response> {
  const repo = repoOf(engine, actor, r.repo);
  const rev = resolveHubRevision(engine, repo, r.rev);
  const entries = await hubEntries(engine, rev.row);
  const query = queryOf(req);
  const flag = (name: string) => query.get(name) === 'true' || query.get(name) === '1';
  if (r.kind === 'model-info') {
    const expand = [...query.getAll('expand'), ...query.getAll('expand[]')];
    return json(modelInfoView(engine, actor, repo, rev, entries, { expand: expand.length > 0 ? expand : undefined, blobs: flag('blobs') }));
  }
  if (r.kind === 'tree') {
    const listing = treeView(repo, rev, entries, r.path, { recursive: flag('recursive'), expand: flag('expand') });
    const page = hubPage(listing, rev, { cursor: query.get('cursor'), limit: query.get('limit') });
    const res = json(page.items);
    if (page.next) res.headers.set('link', nextLink(req, r, rev.commit, query, page.next));
    return res;
  }
  // At most 1 MiB: refused from Content-Length before reading, or while reading (413).
  const input = await readJsonStream(req, req.headers['content-length'], MAX_PATHS_INFO_BYTES);
  const paths = (input as { paths?: unknown } | null)?.paths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string')) return hubError(400, 'BadRequest', '"paths" must be an array of strings');
  if (paths.length > MAX_PATHS) return hubError(400, 'BadRequest', `at most ${MAX_PATHS} paths per request`);
  return json(pathsInfoView(repo, rev, entries, paths as string[], { expand: (input as { expand?: unknown }).expand === true }));
}

/** The pattern each Hub request is counted under in the API request metrics (never the raw path). */
const ROUTE_PATTERNS: Record<HubRequest['kind'], string> = {
  'model-info': '/api/models/{repo}[/revision/{rev}]',
  tree: '/api/models/{repo}/tree/{rev}/{path}',
  'paths-info': '/api/models/{repo}/paths-info/{rev}',
  resolve: '/{repo}/resolve/{rev}/{path}',
};

/** Answer one Hub API request (the matcher in hub-path.ts said which) straight on the node response. */
export async function serveHub(req: IncomingMessage, res: ServerResponse, r: HubRequest): Promise<void> {
  const method = req.method ?? 'GET';
  measureApiRequest(res, method, ROUTE_PATTERNS[r.kind]);
  const engine = await getReadyEngine();
  const headers = headersFromNode(req.headers);
  try {
    const actor = hubActor(engine, headers);
    if (r.kind === 'resolve') return await serveResolve(engine, actor, req, res, r, headers);
    return await send(res, await answer(engine, actor, req, r), method);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    return send(res, hubErrorOf(err), method);
  }
}
