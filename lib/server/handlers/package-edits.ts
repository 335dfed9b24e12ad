import { updatePackage } from '@/lib/engine/registry';
import { ZPackageEdits } from '@/lib/engine/registry/package-edits';
import { ZPackageParams } from '@/lib/validations/package';
import { route } from '../route';

/** PATCH /api/v1/packages/{name} `{ description?, tags?, homepage?, readme? }` */
export const updatePackageHandler = route({
  permission: 'Update',
  params: ZPackageParams,
  json: ZPackageEdits,
  package: (p) => p.name,
  audit: { action: 'package.update', target: (p, json) => `${p.name} fields=${Object.keys(json).join(',')}` },
  run: ({ params, json, ctx }) => Response.json(updatePackage(ctx.engine, ctx.actor, params.name, json)),
});
