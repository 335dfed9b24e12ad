import type { NodeState } from '@/db/schema';
import type { Engine } from '../../engine';
import { insertNode } from './replication-fixtures';

/** A node row without a probe (tests of what reads nodes): a local folder that need not exist. */
export function seedNode(engine: Engine, id: string, opts: { state?: NodeState; region?: string; path?: string } = {}): void {
  insertNode(engine, { id, region: opts.region ?? 'eu', state: opts.state, backend: { type: 'local', path: opts.path ?? `/nonexistent/torsh-node-${id}` } });
}
