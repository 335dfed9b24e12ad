import { getVersion, publishVersion } from '@/lib/engine/registry';
import { requestBody } from '../node-streams';
import { route } from '../route';
import { ZSignatureHeaders, ZVersionParams } from '@/lib/validations/package';

function signatureFrom(headers: Headers) {
  const signature = headers.get('x-torsh-signature');
  if (signature === null) return undefined;
  const parsed = ZSignatureHeaders.parse({ signature, keyId: headers.get('x-torsh-key-id') });
  return { value: parsed.signature, keyId: parsed.keyId };
}

/** GET /api/v1/packages/{name}/{version} */
export const getVersionHandler = route({
  permission: 'ReadMetadata',
  params: ZVersionParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(getVersion(ctx.engine, params.name, params.version)),
});

/** PUT /api/v1/packages/{name}/{version}: the body is the package, streamed to the blob store. */
export const publishVersionHandler = route({
  permission: 'Publish',
  params: ZVersionParams,
  package: (p) => p.name,
  audit: { action: 'version.publish', target: (p) => `${p.name}@${p.version}` },
  run: async ({ req, params, ctx }) => {
    const length = req.headers.get('content-length');
    const result = await publishVersion(ctx.engine, ctx.actor, {
      ...params,
      source: { kind: 'stream', body: requestBody(req), contentLength: length === null ? undefined : Number(length) },
      signature: signatureFrom(req.headers),
      browser: ctx.actor.kind === 'user',
    });
    return Response.json(result, { status: 201, headers: { Location: `/api/v1/packages/${params.name}/${params.version}` } });
  },
});
