'use server';

import { setYanked } from '@/lib/engine/registry';
import { action } from '@/lib/server/action';
import { ZVersionParams, ZYankInput } from '@/lib/validations/package';

export const yankVersionAction = action({
  permission: 'Yank',
  input: ZYankInput,
  audit: { action: 'version.yank', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => ({ yanked: setYanked(ctx.engine, ctx.actor, { ...i, yanked: true }).yanked }),
});

export const unyankVersionAction = action({
  permission: 'Unyank',
  input: ZVersionParams,
  audit: { action: 'version.unyank', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => ({ yanked: setYanked(ctx.engine, ctx.actor, { ...i, yanked: false }).yanked }),
});
