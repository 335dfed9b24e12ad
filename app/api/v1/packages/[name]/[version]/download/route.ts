import { findDownload } from '@/lib/engine/registry';
import { downloadResponse } from '@/lib/server/download-response';
import { route } from '@/lib/server/route';
import { ZVersionParams } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'Download',
  params: ZVersionParams,
  run: ({ req, params, ctx }) =>
    downloadResponse(ctx.engine, findDownload(ctx.engine, params.name, params.version), req, {
      clientAddr: ctx.clientAddr,
      userAgent: req.headers.get('user-agent'),
    }),
});

export const HEAD = GET;
