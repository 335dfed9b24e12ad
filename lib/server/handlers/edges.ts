import { z } from 'zod';
import { cdnTrafficFor } from '@/lib/engine/cdn/cdn-traffic';
import { listEdges, registerEdge, removeEdge, updateEdge } from '@/lib/engine/cdn/manage-edges';
import { purgeEdgeNow } from '@/lib/engine/cdn/purge-edge';
import { ZEdgeIdParams, ZEdgeInput, ZEdgePatch, ZPurgeInput, ZTrafficQuery } from '@/lib/validations/cdn';
import { route } from '../route';

const NO_PARAMS = z.object({});

/** GET /api/v1/edges (purge tokens never: `purge_token: "set"`) */
export const listEdgesHandler = route({
  permission: 'ManageCdn',
  params: NO_PARAMS,
  run: ({ ctx }) => Response.json({ edges: listEdges(ctx.engine) }),
});

/** POST /api/v1/edges: probes the edge first (422 with a clear error when it is not one). */
export const registerEdgeHandler = route({
  permission: 'ManageCdn',
  params: NO_PARAMS,
  json: ZEdgeInput,
  audit: { action: 'edge.register', target: (_p, json) => `${json.url} region=${json.region}` },
  run: async ({ json, ctx }) => Response.json(await registerEdge(ctx.engine, json), { status: 201 }),
});

/** PATCH /api/v1/edges/{id} */
export const updateEdgeHandler = route({
  permission: 'ManageCdn',
  params: ZEdgeIdParams,
  json: ZEdgePatch,
  audit: {
    action: 'edge.update',
    // Which fields changed, never the token's value.
    target: (p, json) => `edge ${p.id}: ${Object.keys(json).filter((k) => json[k as keyof typeof json] !== undefined).join(', ') || 'nothing'}`,
  },
  run: async ({ params, json, ctx }) => Response.json(await updateEdge(ctx.engine, params.id, json)),
});

/** DELETE /api/v1/edges/{id} */
export const removeEdgeHandler = route({
  permission: 'ManageCdn',
  params: ZEdgeIdParams,
  audit: { action: 'edge.remove', target: (p) => `edge ${p.id}` },
  run: ({ params, ctx }) => Response.json(removeEdge(ctx.engine, params.id)),
});

/** POST /api/v1/edges/{id}/purge `{name, version}` | `{name}` | `{all: true}` → the edge's `{purged, bytes}` */
export const purgeEdgeHandler = route({
  permission: 'ManageCdn',
  params: ZEdgeIdParams,
  json: ZPurgeInput,
  audit: { action: 'edge.purge', target: (p, json) => `edge ${p.id}: ${'all' in json ? 'everything' : `${json.name}${json.version ? `@${json.version}` : ''}`}` },
  run: async ({ params, json, ctx }) => Response.json(await purgeEdgeNow(ctx.engine, params.id, json)),
});

/**
 * GET /api/v1/cdn/traffic?from=&to=&step=: hit rate and bytes from cache vs origin per step,
 * over every edge (ViewStats or ManageCdn) and per edge (ManageCdn).
 */
export const cdnTrafficHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  query: ZTrafficQuery,
  run: ({ query, ctx }) => Response.json(cdnTrafficFor(ctx.engine, ctx.actor, query)),
});
