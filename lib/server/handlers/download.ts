import { findDownload } from '@/lib/engine/registry';
import { ZDownloadQuery } from '@/lib/validations/mirrors';
import { ZVersionRefParams } from '@/lib/validations/package';
import { downloadResponse } from '../download-response';
import { clientRegionOf } from '../client-region';
import { redirectToBestLocation } from '../mirror-locations';
import { route } from '../route';

/**
 * GET and HEAD /api/v1/packages/{name}/{version}/download: `{version}` may also be `latest` or a
 * channel. X-Torsh-Version names the version served; the ETag stays its digest. With
 * `?redirect=1`, a 302 to the best mirror or edge holding the version (as `locations` orders
 * them), or the bytes from here when none does.
 */
export const downloadHandler = route({
  permission: 'Download',
  params: ZVersionRefParams,
  query: ZDownloadQuery,
  package: (p) => p.name,
  run: ({ req, params, query, ctx }) =>
    (query.redirect === '1' && redirectToBestLocation(ctx.engine, req, { name: params.name, ref: params.version, region: query.region ?? null, clientAddr: ctx.clientAddr })) ||
    downloadResponse(ctx.engine, findDownload(ctx.engine, params.name, params.version), req, {
      clientAddr: ctx.clientAddr,
      userId: ctx.actor.userId,
      region: clientRegionOf(req.headers),
      ref: params.version,
    }),
});
