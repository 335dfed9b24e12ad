import { deletePackage, deleteVersion } from '@/lib/engine/registry';
import { ZPackageParams, ZVersionParams } from '@/lib/validations/package';
import { route } from '../route';

/** DELETE /api/v1/packages/{name}/{version}: the version goes, name@version is tombstoned. */
export const deleteVersionHandler = route({
  permission: 'Delete',
  params: ZVersionParams,
  package: (p) => p.name,
  audit: { action: 'version.delete', target: (p) => `${p.name}@${p.version}` },
  run: ({ params, ctx }) => Response.json(deleteVersion(ctx.engine, ctx.actor, params)),
});

/** DELETE /api/v1/packages/{name}: every version (each tombstoned) and the package itself. */
export const deletePackageHandler = route({
  permission: 'Delete',
  params: ZPackageParams,
  package: (p) => p.name,
  audit: { action: 'package.delete', target: (p) => p.name },
  run: ({ params, ctx }) => Response.json(deletePackage(ctx.engine, ctx.actor, params.name)),
});
