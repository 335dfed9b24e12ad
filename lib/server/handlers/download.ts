import { findDownload } from '@/lib/engine/registry';
import { ZVersionParams } from '@/lib/validations/package';
import { downloadResponse } from '../download-response';
import { route } from '../route';

/** GET and HEAD /api/v1/packages/{name}/{version}/download */
export const downloadHandler = route({
  permission: 'Download',
  params: ZVersionParams,
  package: (p) => p.name,
  run: ({ req, params, ctx }) =>
    downloadResponse(ctx.engine, findDownload(ctx.engine, params.name, params.version), req, {
      clientAddr: ctx.clientAddr,
      userAgent: req.headers.get('user-agent'),
    }),
});
