'use server';

import { z } from 'zod';
import { registerEdge, removeEdge, updateEdge } from '@/lib/engine/cdn/manage-edges';
import { purgeEdgeNow } from '@/lib/engine/cdn/purge-edge';
import { action } from '@/lib/server/action';
import { ZEdgeIdParams, ZEdgeInput, ZEdgePatch, ZPurgeInput } from '@/lib/validations/cdn';

export const registerEdgeAction = action({
  permission: 'ManageCdn',
  input: ZEdgeInput,
  audit: { action: 'edge.register', target: (i) => `${i.url} region=${i.region}` },
  run: (i, ctx) => registerEdge(ctx.engine, i),
});

export const updateEdgeAction = action({
  permission: 'ManageCdn',
  input: z.intersection(ZEdgeIdParams, ZEdgePatch),
  audit: {
    action: 'edge.update',
    target: ({ id, ...patch }) => `edge ${id}: ${Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined).join(', ') || 'nothing'}`,
  },
  run: ({ id, ...patch }, ctx) => updateEdge(ctx.engine, id, patch),
});

export const removeEdgeAction = action({
  permission: 'ManageCdn',
  input: ZEdgeIdParams,
  audit: { action: 'edge.remove', target: (i) => `edge ${i.id}` },
  run: (i, ctx) => removeEdge(ctx.engine, i.id),
});

export const purgeEdgeAction = action({
  permission: 'ManageCdn',
  input: z.object({ id: ZEdgeIdParams.shape.id, target: ZPurgeInput }),
  audit: { action: 'edge.purge', target: (i) => `edge ${i.id}: ${'all' in i.target ? 'everything' : `${i.target.name}${i.target.version ? `@${i.target.version}` : ''}`}` },
  run: (i, ctx) => purgeEdgeNow(ctx.engine, i.id, i.target),
});
