import { z } from 'zod';
import type { Engine } from '@/lib/engine/engine';
import { mirrorFeedStatus, mirrorHoldings } from '@/lib/engine/mirror';
import { route } from '../route';
import { APP_VERSION } from '../version';

/** What the running mirror tells its health route (one mirror per process). */
export type MirrorLive = { upstream: string; reachable(): boolean; startedAt: number; activeRequests(): number };

const holder = globalThis as unknown as { __torshMirror?: MirrorLive };

export function setMirrorLive(live: MirrorLive | undefined): void {
  holder.__torshMirror = live;
}

export function mirrorHealth(engine: Engine, live: MirrorLive) {
  return {
    status: 'ok' as const,
    role: 'mirror' as const,
    version: APP_VERSION,
    upstream: live.upstream,
    feed: mirrorFeedStatus(engine, live.upstream, { reachable: live.reachable(), startedAt: live.startedAt }),
    ...mirrorHoldings(engine),
    load: { active_requests: live.activeRequests() },
  };
}

/** GET /api/v1/health on a mirror: role, upstream, feed position and lag, what it holds, its load. */
export const mirrorHealthHandler = route({
  permission: 'public',
  params: z.object({}),
  run: ({ ctx }) => {
    const live = holder.__torshMirror;
    if (!live) throw new Error('the mirror is not running');
    return Response.json(mirrorHealth(ctx.engine, live), { headers: { 'cache-control': 'no-store' } });
  },
});
