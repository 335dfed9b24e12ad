import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { getVersion, publishVersion } from '@/lib/engine/registry';
import { route } from '@/lib/server/route';
import { ZSignatureHeaders, ZVersionParams } from '@/lib/validations/package';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'ReadMetadata',
  params: ZVersionParams,
  run: ({ params, ctx }) => Response.json(getVersion(ctx.engine, params.name, params.version)),
});

function signatureFrom(headers: Headers) {
  const signature = headers.get('x-torsh-signature');
  if (signature === null) return undefined;
  const parsed = ZSignatureHeaders.parse({ signature, keyId: headers.get('x-torsh-key-id') });
  return { value: parsed.signature, keyId: parsed.keyId };
}

export const PUT = route({
  permission: 'Publish',
  params: ZVersionParams,
  audit: { action: 'version.publish', target: (p) => `${p.name}@${p.version}` },
  run: async ({ req, params, ctx }) => {
    const length = req.headers.get('content-length');
    const body = req.body ? Readable.fromWeb(req.body as NodeWebStream<Uint8Array>) : Readable.from([]);
    const result = await publishVersion(ctx.engine, ctx.actor, {
      ...params,
      body,
      contentLength: length === null ? undefined : Number(length),
      signature: signatureFrom(req.headers),
    });
    return Response.json(result, { status: 201, headers: { Location: `/api/v1/packages/${params.name}/${params.version}` } });
  },
});
