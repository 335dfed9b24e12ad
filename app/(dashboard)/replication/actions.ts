'use server';

import { z } from 'zod';
import { addNode, removeNode } from '@/lib/engine/replication/manage-nodes';
import { resolveConflict } from '@/lib/engine/replication/resolve-conflict';
import { startScrub } from '@/lib/engine/replication/scrub-nodes';
import { updateReplicationConfig } from '@/lib/engine/replication/update-config';
import { action } from '@/lib/server/action';
import { configChangeTarget, ZNodeIdParams, ZNodeInput, ZReplicationConfigInput } from '@/lib/validations/replication';
import { resolveTarget, ZConflictIdParams, ZResolveConflictInput } from '@/lib/validations/replication-conflicts';

const ZResolveConflictAction = ZConflictIdParams.extend(ZResolveConflictInput.shape);

export const addNodeAction = action({
  permission: 'ManageReplication',
  input: ZNodeInput,
  // The target names the node and its backend type only: never the input (it holds the secrets).
  audit: { action: 'replication.node.add', target: (i) => `node ${i.id} (${i.backend.type})` },
  run: (i, ctx) => addNode(ctx.engine, i),
});

export const removeNodeAction = action({
  permission: 'ManageReplication',
  input: ZNodeIdParams,
  audit: { action: 'replication.node.remove', target: (i) => `node ${i.id}` },
  run: (i, ctx) => {
    removeNode(ctx.engine, i.id);
    return { deleted: i.id };
  },
});

export const updateReplicationConfigAction = action({
  permission: 'ManageReplication',
  input: ZReplicationConfigInput,
  audit: { action: 'replication.config', target: configChangeTarget },
  run: (i, ctx) => updateReplicationConfig(ctx.engine, i),
});

export const startScrubAction = action({
  permission: 'ManageReplication',
  input: z.object({}),
  audit: { action: 'replication.scrub', target: () => 'replication scrub' },
  run: (_i, ctx) => startScrub(ctx.engine),
});

export const resolveConflictAction = action({
  permission: 'ManageReplication',
  input: ZResolveConflictAction,
  audit: { action: 'replication.conflict.resolve', target: (i) => resolveTarget(i.id, i.winner_digest) },
  run: (i, ctx) => resolveConflict(ctx.engine, ctx.actor, i.id, { winner_digest: i.winner_digest }),
});
