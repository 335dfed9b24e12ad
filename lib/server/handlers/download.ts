import { findDownload } from '@/lib/engine/registry';
import { REGION_RE, versionLocations } from '@/lib/engine/mirrors';
import { ZVersionRefParams } from '@/lib/validations/package';
import { downloadResponse } from '../download-response';
import { clientRegionOf } from '../client-region';
import { clientRegionFor, originBaseUrl } from '../mirror-locations';
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
  package: (p) => p.name,
  run: ({ req, params, ctx }) => {
    // Parsed only when asked for: the hot path stays as it was, and a Host header that is not a
    // valid authority cannot turn a plain download into an error.
    const url = req.url.includes('redirect=1') ? URL.parse(req.url) : null;
    if (url && url.searchParams.get('redirect') === '1') {
      const asked = url.searchParams.get('region');
      const region = clientRegionFor(ctx.engine, req.headers, asked && REGION_RE.test(asked) ? asked : null, ctx.clientAddr);
      const best = versionLocations(ctx.engine, { name: params.name, ref: params.version, region, originUrl: originBaseUrl(req) }).locations.find((l) => l.kind !== 'origin');
      if (best) return new Response(null, { status: 302, headers: { location: best.url, 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' } });
    }
    return downloadResponse(ctx.engine, findDownload(ctx.engine, params.name, params.version), req, {
      clientAddr: ctx.clientAddr,
      userId: ctx.actor.userId,
      region: clientRegionOf(req.headers),
      ref: params.version,
    });
  },
});
