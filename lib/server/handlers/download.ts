import { findDownload } from '@/lib/engine/registry';
import { ZVersionRefParams } from '@/lib/validations/package';
import { downloadResponse } from '../download-response';
import { clientRegionOf } from '../client-region';
import { route } from '../route';

/**
 * GET and HEAD /api/v1/packages/{name}/{version}/download: `{version}` may also be `latest` or a
 * channel. X-Torsh-Version names the version served; the ETag stays its digest.
 */
export const downloadHandler = route({
  permission: 'Download',
  params: ZVersionRefParams,
  package: (p) => p.name,
  run: ({ req, params, ctx }) =>
    downloadResponse(ctx.engine, findDownload(ctx.engine, params.name, params.version), req, {
      clientAddr: ctx.clientAddr,
      userId: ctx.actor.userId,
      region: clientRegionOf(req.headers),
      ref: params.version,
    }),
});
