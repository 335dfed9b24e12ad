import { z } from 'zod';
import { addMirror, listMirrorChecks, listMirrors, mirrorSettings, mirrorUrlForLog, removeMirror, updateMirror, updateMirrorSettings } from '@/lib/engine/mirrors';
import { ZVersionRefParams } from '@/lib/validations/package';
import { ZChecksQuery, ZLocationsQuery, ZMirrorIdParams, ZMirrorInput, ZMirrorPatch, ZMirrorSettingsInput } from '@/lib/validations/mirrors';
import { route } from '../route';
import { locationsFor } from '../mirror-locations';

const NO_PARAMS = z.object({});

/** GET /api/v1/mirrors */
export const listMirrorsHandler = route({
  permission: 'ManageMirrors',
  params: NO_PARAMS,
  run: ({ ctx }) => Response.json({ mirrors: listMirrors(ctx.engine) }),
});

/** POST /api/v1/mirrors: probes the URL first (422 MIRROR_UNREACHABLE / NOT_A_REGISTRY). */
export const addMirrorHandler = route({
  permission: 'ManageMirrors',
  params: NO_PARAMS,
  json: ZMirrorInput,
  audit: { action: 'mirror.add', target: (_p, json) => mirrorUrlForLog(json.url) },
  run: async ({ json, ctx }) => Response.json(await addMirror(ctx.engine, json), { status: 201 }),
});

/** PATCH /api/v1/mirrors/{id}: a new URL is probed like an add. */
export const updateMirrorHandler = route({
  permission: 'ManageMirrors',
  params: ZMirrorIdParams,
  json: ZMirrorPatch,
  audit: { action: 'mirror.update', target: (p) => `mirror ${p.id}` },
  run: async ({ params, json, ctx }) => Response.json(await updateMirror(ctx.engine, params.id, json)),
});

/** DELETE /api/v1/mirrors/{id} */
export const removeMirrorHandler = route({
  permission: 'ManageMirrors',
  params: ZMirrorIdParams,
  audit: { action: 'mirror.remove', target: (p) => `mirror ${p.id}` },
  run: ({ params, ctx }) => Response.json(removeMirror(ctx.engine, params.id)),
});

/** GET /api/v1/mirrors/{id}/checks: probe history, newest first. */
export const mirrorChecksHandler = route({
  permission: 'ManageMirrors',
  params: ZMirrorIdParams,
  query: ZChecksQuery,
  run: ({ params, query, ctx }) =>
    Response.json({ page: query.page, per_page: query.per_page, ...listMirrorChecks(ctx.engine, params.id, { page: query.page, perPage: query.per_page }) }),
});

/** GET /api/v1/mirrors/settings: the selection strategy, the region ranges and the check thresholds (env). */
export const mirrorSettingsHandler = route({
  permission: 'ManageMirrors',
  params: NO_PARAMS,
  run: ({ ctx }) => Response.json(mirrorSettings(ctx.engine)),
});

/** PUT /api/v1/mirrors/settings `{strategy?, region_ranges?}` (the ranges replace the whole table). */
export const setMirrorSettingsHandler = route({
  permission: 'ManageMirrors',
  params: NO_PARAMS,
  json: ZMirrorSettingsInput,
  audit: {
    action: 'mirror.settings',
    target: (_p, json) => [json.strategy && `strategy ${json.strategy}`, json.region_ranges && `${json.region_ranges.length} region ranges`].filter(Boolean).join(', ') || 'nothing',
  },
  run: ({ json, ctx }) => Response.json(updateMirrorSettings(ctx.engine, json)),
});

/** GET /api/v1/packages/{name}/{version}/locations?region= (Download on the package). */
export const locationsHandler = route({
  permission: 'Download',
  params: ZVersionRefParams,
  query: ZLocationsQuery,
  package: (p) => p.name,
  run: ({ req, params, query, ctx }) => {
    const view = locationsFor(ctx.engine, req, { name: params.name, ref: params.version, region: query.region ?? null, clientAddr: ctx.clientAddr });
    return Response.json(view, { headers: { 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' } });
  },
});
