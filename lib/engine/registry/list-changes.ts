import type { Engine } from '../engine';
import { listVisibleChanges } from './list-visible-changes';
import type { ChangeView } from './views';

/**
 * The raw change feed after `since` (a seq), oldest first, whoever may see each change; `next`
 * is the seq to ask from next time. Callers facing users go through listVisibleChanges.
 */
export function listChanges(engine: Engine, input: { since?: number; limit?: number } = {}): { changes: ChangeView[]; next: number } {
  const page = listVisibleChanges(engine, 'everything', input);
  return { changes: page.changes.map(({ public: _public, ...change }) => change), next: page.next };
}
