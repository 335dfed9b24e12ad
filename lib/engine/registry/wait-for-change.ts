import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { feedHead, listVisibleChanges, type ChangePage } from './list-visible-changes';

/** How often a process with followers waiting reads the feed's head. */
export const HEAD_POLL_MS = 50;

type Waiter = { after: number; resolve: (head: number) => void };
type Watch = { waiters: Set<Waiter>; timer: NodeJS.Timeout | null };

// One watch per engine. The head is read from the database, not learnt from an in-memory event:
// a publish may commit in another copy of this module (Next's bundle) or another process.
const watches = new WeakMap<Engine, Watch>();

function watchOf(engine: Engine): Watch {
  let w = watches.get(engine);
  if (!w) {
    w = { waiters: new Set(), timer: null };
    watches.set(engine, w);
  }
  return w;
}

function poll(engine: Engine, w: Watch): void {
  let head: number;
  try {
    head = feedHead(engine);
  } catch {
    return; // a closed database: the waiters time out
  }
  for (const waiter of w.waiters) {
    if (head > waiter.after) {
      w.waiters.delete(waiter);
      waiter.resolve(head);
    }
  }
  if (w.waiters.size === 0 && w.timer) {
    clearInterval(w.timer);
    w.timer = null;
  }
}

/**
 * Resolve with the feed's head once it passes `after`, or with the head as it is when
 * `timeoutMs` runs out. One timer per process reads max(seq) every HEAD_POLL_MS while anyone waits.
 */
export function waitForChange(engine: Engine, after: number, timeoutMs: number): Promise<number> {
  const w = watchOf(engine);
  return new Promise((resolve) => {
    const waiter: Waiter = {
      after,
      resolve: (head) => {
        clearTimeout(deadline);
        resolve(head);
      },
    };
    const deadline = setTimeout(() => {
      w.waiters.delete(waiter);
      let head = after;
      try {
        head = feedHead(engine);
      } catch {
        // closed
      }
      resolve(head);
    }, timeoutMs);
    // A held request must not keep a stopping process alive.
    deadline.unref?.();
    w.waiters.add(waiter);
    if (!w.timer) {
      w.timer = setInterval(() => poll(engine, w), HEAD_POLL_MS);
      w.timer.unref?.();
    }
  });
}

/**
 * listVisibleChanges, held up to `waitMs` while there is nothing to report (no visible change
 * after `since`, and no invisible ones to skip past): a long-poll that answers as soon as there is.
 */
export async function awaitVisibleChanges(engine: Engine, actor: Actor | 'everything', input: { since: number; limit: number }, waitMs: number): Promise<ChangePage> {
  const deadline = Date.now() + waitMs;
  let page = listVisibleChanges(engine, actor, input);
  while (page.changes.length === 0 && page.next === input.since && Date.now() < deadline) {
    await waitForChange(engine, page.head, deadline - Date.now());
    page = listVisibleChanges(engine, actor, input);
  }
  return page;
}
