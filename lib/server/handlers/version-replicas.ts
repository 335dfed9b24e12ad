import { packageReplicas, versionReplicas } from '@/lib/engine/replication/version-replicas';
import { ZPackageParams, ZVersionRefParams } from '@/lib/validations/package';
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

/** GET /api/v1/packages/{name}/replicas: every version's replicas in one answer (`{name, versions: {<version>: [...]}}`). */
export const packageReplicasHandler = route({
  permission: 'ReadMetadata',
  params: ZPackageParams,
  package: (p) => p.name,
  run: ({ params, ctx }) => Response.json(packageReplicas(ctx.engine, ctx.actor, params.name), { headers: { 'cache-control': 'no-store' } }),
});
