import type { IncomingMessage, ServerResponse } from 'node:http';
import { downloadHandler } from './handlers/download';
import { publishVersionHandler } from './handlers/package-version';
import { handleUploadNode, TUS_METHODS, uploadIdFromPath } from './uploads/upload-handler';

type Handler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

type FastRoute = { method: string; pattern: RegExp; keys: string[]; handler: Handler };

/**
 * Routes whose bodies are package bytes. The origin's HTTP server answers them itself (node
 * streams end to end, Content-Length kept); Next's route handlers export the same handlers.
 */
const FAST_ROUTES: FastRoute[] = [
  { method: 'PUT', pattern: /^\/api\/v1\/packages\/([^/]+)\/([^/]+)\/?$/, keys: ['name', 'version'], handler: publishVersionHandler },
  { method: 'GET', pattern: /^\/api\/v1\/packages\/([^/]+)\/([^/]+)\/download\/?$/, keys: ['name', 'version'], handler: downloadHandler },
  { method: 'HEAD', pattern: /^\/api\/v1\/packages\/([^/]+)\/([^/]+)\/download\/?$/, keys: ['name', 'version'], handler: downloadHandler },
];

export function matchFastRoute(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | null {
  for (const r of FAST_ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    try {
      return { handler: r.handler, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])) };
    } catch {
      return null; // malformed percent-encoding: let Next answer it
    }
  }
  return null;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Routes handed node req/res as they are (after their guard), for servers that speak node:http
 * themselves: the resumable-upload (tus) endpoint.
 */
export function matchNodeRoute(method: string, pathname: string): NodeHandler | null {
  if (!(TUS_METHODS as readonly string[]).includes(method)) return null;
  const id = uploadIdFromPath(pathname);
  if (id === undefined) return null;
  return (req, res) => handleUploadNode(req, res, id);
}
