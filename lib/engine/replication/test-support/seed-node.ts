import { replicationNodes, type NodeState } from '@/db/schema';
import type { Engine } from '../../engine';

/** A node row without a probe (tests of what reads nodes): a local folder that need not exist. */
export function seedNode(engine: Engine, id: string, opts: { state?: NodeState; region?: string; path?: string } = {}): void {
  const now = engine.now();
  engine.db
    .insert(replicationNodes)
    .values({
      id,
      region: opts.region ?? 'eu',
      backendType: 'local',
      backend: JSON.stringify({ type: 'local', path: opts.path ?? `/nonexistent/torsh-node-${id}` }),
      state: opts.state ?? 'healthy',
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .run();
}
