import { versionReplicas } from '@/lib/engine/replication/version-replicas';
import { ZVersionRefParams } from '@/lib/validations/package';
import { route } from '../route';

/** GET /api/v1/packages/{name}/{version}/replicas: which replication nodes hold it (`{version}` may be latest or a channel). */
export const versionReplicasHandler = route({
  permission: 'ReadMetadata',
  params: ZVersionRefParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => {
    const view = versionReplicas(ctx.engine, ctx.actor, params.name, params.version);
    return Response.json(view, { headers: { 'cache-control': 'no-store', 'X-Torsh-Version': view.version } });
  },
});
