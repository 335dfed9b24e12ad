import { z } from 'zod';
import { listChannelHistory, listChannels, removeChannel, setChannel } from '@/lib/engine/registry';
import { ZChannelParams, ZPageQuery, ZPackageParams } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/packages/{name}/channels */
export const listChannelsHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json({ channels: listChannels(ctx.engine, params.name) }),
});

/** PUT /api/v1/packages/{name}/channels/{channel} `{ "version": "1.2.0" }`: move (or create) it. */
export const setChannelHandler = route({
  permission: 'ManageVersions',
  params: ZChannelParams,
  // The engine checks the version (INVALID_VERSION, as in a path).
  json: z.object({ version: z.string().max(256) }),
  package: (p) => p.name,
  audit: { action: 'channel.set', target: (p, json) => `${p.name} ${p.channel}=${json.version}` },
  run: ({ params, json, ctx }) => Response.json(setChannel(ctx.engine, ctx.actor, { ...params, version: json.version })),
});

/** DELETE /api/v1/packages/{name}/channels/{channel} */
export const removeChannelHandler = route({
  permission: 'ManageVersions',
  params: ZChannelParams,
  package: (p) => p.name,
  audit: { action: 'channel.remove', target: (p) => `${p.name} ${p.channel}` },
  run: ({ params, ctx }) => Response.json(removeChannel(ctx.engine, ctx.actor, params)),
});

/** GET /api/v1/packages/{name}/channels/{channel}/history?page=&per_page= */
export const channelHistoryHandler = route({
  permission: 'ReadMetadata',
  params: ZChannelParams,
  query: ZPageQuery,
  package: (p) => p.name,
  run: ({ params, query, ctx }) => Response.json(listChannelHistory(ctx.engine, { ...params, page: query.page, perPage: query.per_page })),
});
