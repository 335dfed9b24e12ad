'use server';

import { addOwnerBy, removeOwner, setGrantBy, setVisibility } from '@/lib/engine/access/manage-package-access';
import { setYanked } from '@/lib/engine/registry';
import { setPackageRequireSignature } from '@/lib/engine/security/policy';
import { action } from '@/lib/server/action';
import { ZGrantInput, ZOwnerInput, ZPackageSignaturePolicyInput, ZVisibilityInput } from '@/lib/validations/accounts';
import { ZVersionParams, ZYankInput } from '@/lib/validations/package';

export const yankVersionAction = action({
  permission: 'Yank',
  input: ZYankInput,
  package: (i) => i.name,
  audit: { action: 'version.yank', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => ({ yanked: setYanked(ctx.engine, ctx.actor, { ...i, yanked: true }).yanked }),
});

export const unyankVersionAction = action({
  permission: 'Unyank',
  input: ZVersionParams,
  package: (i) => i.name,
  audit: { action: 'version.unyank', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => ({ yanked: setYanked(ctx.engine, ctx.actor, { ...i, yanked: false }).yanked }),
});

export const setVisibilityAction = action({
  permission: 'ManageOwners',
  input: ZVisibilityInput,
  package: (i) => i.name,
  audit: { action: 'package.set-visibility', target: (i) => `${i.name} visibility=${i.visibility}` },
  run: (i, ctx) => (setVisibility(ctx.engine, i), {}),
});

export const addOwnerAction = action({
  permission: 'ManageOwners',
  input: ZOwnerInput,
  package: (i) => i.name,
  audit: { action: 'package.add-owner', target: (i) => `${i.name} owner=${i.username}` },
  run: (i, ctx) => (addOwnerBy(ctx.engine, ctx.actor, i), {}),
});

export const removeOwnerAction = action({
  permission: 'ManageOwners',
  input: ZOwnerInput,
  package: (i) => i.name,
  audit: { action: 'package.remove-owner', target: (i) => `${i.name} owner=${i.username}` },
  run: (i, ctx) => (removeOwner(ctx.engine, i), {}),
});

export const setGrantAction = action({
  permission: 'ManageOwners',
  input: ZGrantInput,
  package: (i) => i.name,
  audit: { action: 'package.set-grant', target: (i) => `${i.name} user=${i.username} permissions=${i.permissions.join(',')}` },
  run: (i, ctx) => (setGrantBy(ctx.engine, ctx.actor, i), {}),
});

export const setPackageSignaturePolicyAction = action({
  permission: 'ManageOwners',
  input: ZPackageSignaturePolicyInput,
  package: (i) => i.name,
  audit: { action: 'package.set-signature-policy', target: (i) => `${i.name} require_signature=${i.require_signature}` },
  run: (i, ctx) => (setPackageRequireSignature(ctx.engine, ctx.actor, i.name, i.require_signature), {}),
});
