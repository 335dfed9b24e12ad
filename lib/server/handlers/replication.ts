import { z } from 'zod';
import { addNode, removeNode, updateNode } from '@/lib/engine/replication/manage-nodes';
import { listNodeViews } from '@/lib/engine/replication/node-views';
import { getPackageReplication, setPackageReplication } from '@/lib/engine/replication/package-override';
import { replicationSettings, replicationStatsFor } from '@/lib/engine/replication/replication-stats';
import { updateReplicationConfig } from '@/lib/engine/replication/update-config';
import { ZPackageParams } from '@/lib/validations/package';
import { configChangeTarget, ZNodeIdParams, ZNodeInput, ZNodePatch, ZPackageReplicationInput, ZReplicationConfigInput, ZReplicationStatsQuery } from '@/lib/validations/replication';
import { noStoreJson, route } from '../route';

const NO_PARAMS = z.object({});

/** GET /api/v1/replication/nodes */
export const listNodesHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  run: ({ ctx }) => noStoreJson({ nodes: listNodeViews(ctx.engine) }),
});

/** POST /api/v1/replication/nodes: probes the node first (422 REPLICATION_NODE_UNAVAILABLE); secrets are stored, never returned. */
export const addNodeHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  json: ZNodeInput,
  // The target names the node and its backend type only: never the body (it holds the secrets).
  audit: { action: 'replication.node.add', target: (_p, json) => `node ${json.id} (${json.backend.type})` },
  run: async ({ json, ctx }) => noStoreJson(await addNode(ctx.engine, json), 201),
});

/** PATCH /api/v1/replication/nodes/{id}: region, priority, capacity_bytes. */
export const updateNodeHandler = route({
  permission: 'ManageReplication',
  params: ZNodeIdParams,
  json: ZNodePatch,
  audit: { action: 'replication.node.update', target: (p) => `node ${p.id}` },
  run: ({ params, json, ctx }) => noStoreJson(updateNode(ctx.engine, params.id, json)),
});

/** DELETE /api/v1/replication/nodes/{id}: the node's data stays where it is. */
export const removeNodeHandler = route({
  permission: 'ManageReplication',
  params: ZNodeIdParams,
  audit: { action: 'replication.node.remove', target: (p) => `node ${p.id}` },
  run: ({ params, ctx }) => {
    removeNode(ctx.engine, params.id);
    return noStoreJson({ deleted: params.id });
  },
});

/** GET /api/v1/replication/config: `{config, nodes}`. */
export const replicationConfigHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  run: ({ ctx }) => noStoreJson(replicationSettings(ctx.engine)),
});

/** PUT /api/v1/replication/config: the fields given replace the stored ones; `{config, warnings}`. */
export const setReplicationConfigHandler = route({
  permission: 'ManageReplication',
  params: NO_PARAMS,
  json: ZReplicationConfigInput,
  audit: { action: 'replication.config', target: (_p, json) => configChangeTarget(json) },
  run: ({ json, ctx }) => noStoreJson(updateReplicationConfig(ctx.engine, json)),
});

/** GET /api/v1/packages/{name}/replication (whoever may read the package). */
export const packageReplicationHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => noStoreJson(getPackageReplication(ctx.engine, params.name)),
});

/** PUT /api/v1/packages/{name}/replication `{consistency?, replication_factor?}`: null clears. */
export const setPackageReplicationHandler = route({
  permission: 'ManageReplication',
  params: ZPackageParams,
  json: ZPackageReplicationInput,
  audit: {
    action: 'replication.package',
    target: (p, json) => `${p.name}: consistency=${json.consistency === undefined ? '(unchanged)' : String(json.consistency)}, replication_factor=${json.replication_factor === undefined ? '(unchanged)' : String(json.replication_factor)}`,
  },
  run: ({ params, json, ctx }) => noStoreJson(setPackageReplication(ctx.engine, params.name, json)),
});

/** GET /api/v1/replication/stats?from=&to= (ManageReplication or ViewStats: checked in the engine). */
export const replicationStatsHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  query: ZReplicationStatsQuery,
  run: ({ query, ctx }) => noStoreJson(replicationStatsFor(ctx.engine, ctx.actor, query)),
});
