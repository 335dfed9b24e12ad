import type { Engine } from '../engine';
import { isDigestLive } from '../registry/blob-holds';
import type { ChangePage } from '../registry/list-visible-changes';
import type { ChangeView } from '../registry/views';
import { applyChange } from './apply-change';
import { createLimiter } from './limiter';
import { readSync, recordCaughtUp, recordContact, recordSyncError, setPosition } from './mirror-state';
import { prepareChange, releasePrepared, type PreparedChange } from './prepare-change';
import { UpstreamError, type UpstreamClient } from './upstream-client';
import { createKeyRing } from './verify-signature';

export type FollowerOptions = {
  engine: Engine;
  upstream: UpstreamClient;
  /** Blobs downloaded at once (TORSH_MIRROR_CONCURRENCY). */
  concurrency: number;
  /** Long-poll seconds per feed request (default 30). */
  waitSeconds?: number;
  pageSize?: number;
  /** Told about every change left out and every failed round (logs). */
  onNote?: (message: string, fields?: Record<string, unknown>) => void;
};

export type Follower = {
  /** Whether the last call to the upstream succeeded. */
  reachable(): boolean;
  startedAt: number;
  stop(): Promise<void>;
};

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

type FeedChange = ChangeView & { public?: boolean };

/** Anonymous feeds hold only public rows; a mirror with a token still mirrors public packages only. */
const mirrorable = (c: FeedChange) => c.public !== false;

/**
 * Follow the upstream's change feed: long-poll for changes after the stored position, fetch what
 * each needs (up to `concurrency` at once, blobs verified), then apply them one by one in feed
 * order, each in one transaction with the new position, so the stored position is always the
 * highest seq below which everything is applied: a restart resumes there.
 */
export function startFollower(opts: FollowerOptions): Follower {
  const { engine, upstream } = opts;
  const wait = opts.waitSeconds ?? 30;
  const pageSize = opts.pageSize ?? 100;
  const note = opts.onNote ?? (() => {});
  const limit = createLimiter(opts.concurrency);
  const keys = createKeyRing(engine, upstream);
  const stopper = new AbortController();
  let reachable = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      stopper.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });

  async function dropBlobs(digests: string[]): Promise<void> {
    for (const d of new Set(digests)) await engine.blobs.delete(d, () => isDigestLive(engine, d)).catch(() => {});
  }

  async function round(): Promise<void> {
    const sync = readSync(engine, upstream.url);
    // Long-poll only once caught up (and after a first contact), so a backlog is fetched at full speed.
    const caughtUp = sync.position >= sync.head && sync.lastContactAt !== null;
    const page = await upstream.json<ChangePage>(`/api/v1/changes?since=${sync.position}&limit=${pageSize}&wait=${caughtUp ? wait : 0}`, {
      timeoutMs: (wait + 30) * 1000,
      signal: stopper.signal,
    });
    reachable = true;
    recordContact(engine, upstream.url, page.head);
    const todo = (page.changes as FeedChange[]).filter(mirrorable);
    const pending = new Map<number, Promise<PreparedChange>>();
    for (const c of todo) {
      const p = limit(() => (stopper.signal.aborted ? Promise.reject(new Error('stopped')) : prepareChange({ engine, upstream, keys, signal: stopper.signal }, c)));
      p.catch(() => {});
      pending.set(c.seq, p);
    }
    try {
      for (const c of todo) {
        if (stopper.signal.aborted) return;
        const prepared = await pending.get(c.seq)!;
        pending.delete(c.seq);
        let gone: string[] = [];
        try {
          engine.db.transaction((tx) => {
            gone = applyChange(tx, prepared, engine.now());
            setPosition(tx, upstream.url, c.seq, engine.now());
          });
        } finally {
          releasePrepared(prepared);
        }
        for (const s of prepared.skipped) note('mirror left a version out', { name: c.name, version: s.version, reason: s.reason, seq: c.seq });
        await dropBlobs(gone);
      }
    } finally {
      // Anything fetched but not applied (an error, or a stop): let its blobs go.
      for (const p of pending.values()) p.then(releasePrepared, () => {});
    }
    const position = readSync(engine, upstream.url).position;
    if (page.next > position) engine.db.transaction((tx) => setPosition(tx, upstream.url, page.next, engine.now()));
    if (Math.max(position, page.next) >= page.head) recordCaughtUp(engine, upstream.url);
  }

  async function loop(): Promise<void> {
    let delay = RETRY_MIN_MS;
    while (!stopper.signal.aborted) {
      try {
        await round();
        delay = RETRY_MIN_MS;
      } catch (err) {
        if (stopper.signal.aborted) break;
        if (!(err instanceof UpstreamError) || err.unreachable) {
          // Caught up and connected until this very moment (a long-poll held the line): lag counts from now.
          if (reachable) {
            try {
              const sync = readSync(engine, upstream.url);
              if (sync.position >= sync.head) recordCaughtUp(engine, upstream.url);
            } catch {
              // the database is closing
            }
          }
          reachable = false;
        }
        const message = err instanceof Error ? err.message : String(err);
        try {
          recordSyncError(engine, upstream.url, message);
        } catch {
          // the database is closing
        }
        note('mirror sync failed; retrying', { error: message, retry_ms: delay });
        await sleep(delay);
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }

  const running = loop();
  return {
    startedAt: engine.now(),
    reachable: () => reachable,
    async stop() {
      stopper.abort();
      await running;
    },
  };
}
