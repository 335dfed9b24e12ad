'use server';

import { addOwnerBy, removeOwner, setGrantBy, setVisibility } from '@/lib/engine/access/manage-package-access';
import { deletePackage, deleteVersion, removeChannel, setChannel, setYanked, updatePackage } from '@/lib/engine/registry';
import { setPackageRequireSignature } from '@/lib/engine/security/policy';
import { action } from '@/lib/server/action';
import { ZGrantInput, ZOwnerInput, ZPackageSignaturePolicyInput, ZVisibilityInput } from '@/lib/validations/accounts';
import { ZChannelMoveInput, ZChannelParams, ZPackageEditsInput, ZPackageParams, ZVersionParams, ZYankInput } from '@/lib/validations/package';

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

export const deleteVersionAction = action({
  permission: 'Delete',
  input: ZVersionParams,
  package: (i) => i.name,
  audit: { action: 'version.delete', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => deleteVersion(ctx.engine, ctx.actor, i),
});

export const deletePackageAction = action({
  permission: 'Delete',
  input: ZPackageParams,
  package: (i) => i.name,
  audit: { action: 'package.delete', target: (i) => i.name },
  run: (i, ctx) => deletePackage(ctx.engine, ctx.actor, i.name),
});

export const updatePackageAction = action({
  permission: 'Update',
  input: ZPackageEditsInput,
  package: (i) => i.name,
  audit: { action: 'package.update', target: (i) => `${i.name} fields=${Object.keys(i.edits).join(',')}` },
  run: (i, ctx) => (updatePackage(ctx.engine, ctx.actor, i.name, i.edits), {}),
});

export const setChannelAction = action({
  permission: 'ManageVersions',
  input: ZChannelMoveInput,
  package: (i) => i.name,
  audit: { action: 'channel.set', target: (i) => `${i.name} ${i.channel}=${i.version}` },
  run: (i, ctx) => setChannel(ctx.engine, ctx.actor, i),
});

export const removeChannelAction = action({
  permission: 'ManageVersions',
  input: ZChannelParams,
  package: (i) => i.name,
  audit: { action: 'channel.remove', target: (i) => `${i.name} ${i.channel}` },
  run: (i, ctx) => removeChannel(ctx.engine, ctx.actor, i),
});
