import { getVersion, publishVersion } from '@/lib/engine/registry';
import { requestBody } from '../node-streams';
import { route } from '../route';
import { ZEncryptedHeaders, ZSignatureHeaders, ZVersionParams, ZVersionRefParams } from '@/lib/validations/package';

function signatureFrom(headers: Headers) {
  const signature = headers.get('x-torsh-signature');
  if (signature === null) return undefined;
  const parsed = ZSignatureHeaders.parse({ signature, keyId: headers.get('x-torsh-key-id') });
  return { value: parsed.signature, keyId: parsed.keyId };
}

/** `X-Torsh-Encrypted: 1` (+ optional `X-Torsh-Description`) marks an opaque encrypted package. */
function encryptedFrom(headers: Headers) {
  const flag = headers.get('x-torsh-encrypted');
  if (flag === null) return undefined;
  const raw = headers.get('x-torsh-description');
  let description = raw ?? undefined;
  try {
    if (raw) description = decodeURIComponent(raw); // percent-encoded, since headers are ASCII
  } catch {
    // not percent-encoded: keep as sent
  }
  const parsed = ZEncryptedHeaders.parse({ flag, description });
  return { description: parsed.description };
}

/** GET /api/v1/packages/{name}/{version}: `{version}` may also be `latest` or a channel name. */
export const getVersionHandler = route({
  permission: 'ReadMetadata',
  params: ZVersionRefParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => {
    const view = getVersion(ctx.engine, params.name, params.version, ctx.actor);
    return Response.json(view, { headers: { 'X-Torsh-Version': view.version } });
  },
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
      encrypted: encryptedFrom(req.headers),
    });
    return Response.json(result, { status: 201, headers: { Location: `/api/v1/packages/${params.name}/${params.version}` } });
  },
});
