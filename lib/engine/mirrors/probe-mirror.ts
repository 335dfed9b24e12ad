import { AppError } from '../errors';

/** What a mirror's `/api/v1/health` said (the fields the origin uses), when it answered as a registry. */
export type MirrorHealth = {
  role: 'mirror' | 'origin';
  version: string | null;
  /** Its position in the change feed (null when it reports none, e.g. an origin). */
  position: number | null;
  lagSeconds: number | null;
  load: number | null;
  bytesHeld: number | null;
};

export type ProbeResult =
  | { ok: true; status: number; latencyMs: number; health: MirrorHealth }
  | { ok: false; status: number | null; latencyMs: number | null; code: 'MIRROR_UNREACHABLE' | 'NOT_A_REGISTRY'; error: string };

const MAX_BODY = 64 * 1024;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A ToRSh health body of role mirror or origin, or why not (null = it is one). */
export function parseHealth(body: unknown): MirrorHealth | string {
  const b = obj(body);
  if (b.status !== 'ok' || typeof b.role !== 'string') return 'its /api/v1/health is not a ToRSh registry health answer ({"status": "ok", "role": …})';
  if (b.role === 'edge') return 'it is an edge cache, not a mirror: register it on the CDN page';
  if (b.role !== 'mirror' && b.role !== 'origin') return `its role is "${String(b.role).slice(0, 40)}", not mirror or origin`;
  const feed = obj(b.feed);
  return {
    role: b.role,
    version: typeof b.version === 'string' ? b.version : null,
    position: num(feed.position),
    lagSeconds: num(feed.lag_seconds),
    load: num(obj(b.load).active_requests),
    bytesHeld: num(b.bytes_held),
  };
}

function unreachableReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'connection failed';
  return String(cause);
}

/** Read at most MAX_BODY bytes of text (a health answer is small; anything bigger is not one). */
async function readSmallBody(res: Response): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One real HTTP probe: GET <url>/api/v1/health with a timeout (redirects are not followed: a
 * registry answers its health itself). Never throws.
 */
export async function probeMirror(url: string, opts: { timeoutMs: number; now?: () => number }): Promise<ProbeResult> {
  const clock = opts.now ?? performance.now.bind(performance);
  const started = clock();
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/health`, {
      headers: { accept: 'application/json', 'user-agent': 'torsh-origin/mirror-check' },
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
      cache: 'no-store',
    });
  } catch (err) {
    return { ok: false, status: null, latencyMs: null, code: 'MIRROR_UNREACHABLE', error: `${url} is unreachable: ${unreachableReason(err, opts.timeoutMs)}` };
  }
  let text: string | null;
  try {
    text = await readSmallBody(res);
  } catch (err) {
    return { ok: false, status: res.status, latencyMs: null, code: 'MIRROR_UNREACHABLE', error: `${url} stopped answering: ${unreachableReason(err, opts.timeoutMs)}` };
  }
  const latencyMs = Math.round((clock() - started) * 10) / 10;
  const fail = (error: string): ProbeResult => ({ ok: false, status: res.status, latencyMs, code: 'NOT_A_REGISTRY', error: `${url} is not a ToRSh registry: ${error}` });
  if (res.status >= 300 && res.status < 400) return fail(`its health answered with a redirect (${res.status}) to ${res.headers.get('location') ?? 'nowhere'}`);
  if (res.status !== 200) return fail(`its /api/v1/health answered ${res.status}`);
  if (text === null) return fail('its health answer is larger than 64 KiB');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const type = res.headers.get('content-type') ?? 'no content type';
    return fail(`its /api/v1/health answered ${type.split(';')[0]}, not JSON`);
  }
  const health = parseHealth(body);
  if (typeof health === 'string') return fail(health);
  return { ok: true, status: res.status, latencyMs, health };
}

/** A probe that failed, as the error an add or an edit refuses with. */
export function probeError(result: Extract<ProbeResult, { ok: false }>): AppError {
  return new AppError(result.code, result.error, { status: result.status });
}
