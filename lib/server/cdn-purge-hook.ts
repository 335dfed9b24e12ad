import { changeHead, enqueueChangePurges } from '@/lib/engine/cdn/purge-edge';
import type { Engine } from '@/lib/engine/engine';
import { jobQueue } from './jobs';
import { log } from './log';

/** The change feed's head before a mutation runs (one primary-key read). */
export const changeHeadBefore = (engine: Engine): number => changeHead(engine);

/**
 * After a mutation committed: a durable `cdn.purge` job per edge for every yank, unyank, delete
 * or visibility change it recorded, whichever route or action made it (the guard calls this
 * for each of them). A failure here never fails the mutation: each collection sweeps the
 * recent changes again.
 */
export function enqueueEdgePurgesAfter(engine: Engine, headBefore: number): void {
  try {
    enqueueChangePurges(engine, jobQueue(engine), headBefore);
  } catch (err) {
    log('warn', 'enqueueing edge purges failed (the next collection sweeps them)', err);
  }
}
