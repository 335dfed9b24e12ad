import { findDownload } from '@/lib/engine/registry';
import { ZVersionRefParams } from '@/lib/validations/package';
import { downloadResponse } from '../download-response';
import { route } from '../route';

/**
 * GET and HEAD /api/v1/packages/{name}/{version}/download: `{version}` may also be `latest` or a
 * channel. X-Torsh-Version names the version served; the ETag stays its digest.
 */
export const downloadHandler = route({
  permission: 'Download',
  params: ZVersionRefParams,
  package: (p) => p.name,
  run: async ({ req, params, ctx }) => {
    const target = findDownload(ctx.engine, params.name, params.version);
    const res = await downloadResponse(ctx.engine, target, req, { clientAddr: ctx.clientAddr, userAgent: req.headers.get('user-agent') });
    res.headers.set('X-Torsh-Version', target.row.version);
    // `latest` and channels move: a shared cache may keep the bytes but must revalidate (by ETag) each time.
    if (params.version !== target.row.version && target.pkg.visibility === 'public') res.headers.set('Cache-Control', 'public, no-cache');
    return res;
  },
});
