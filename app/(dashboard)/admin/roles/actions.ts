'use server';

import { createRoleBy, deleteRole, updateRole } from '@/lib/engine/access/roles';
import { action } from '@/lib/server/action';
import { ZCreateRoleInput, ZRoleIdInput, ZUpdateRoleInput } from '@/lib/validations/accounts';

export const createRoleAction = action({
  permission: 'ManageRoles',
  input: ZCreateRoleInput,
  audit: { action: 'role.create', target: (i) => i.name },
  run: (i, ctx) => createRoleBy(ctx.engine, ctx.actor, i),
});

export const updateRoleAction = action({
  permission: 'ManageRoles',
  input: ZUpdateRoleInput,
  audit: { action: 'role.update', target: (i) => `role#${i.roleId} permissions=${i.permissions.join(',')}` },
  run: (i, ctx) => (updateRole(ctx.engine, ctx.actor, i), {}),
});

export const deleteRoleAction = action({
  permission: 'ManageRoles',
  input: ZRoleIdInput,
  audit: { action: 'role.delete', target: (i) => `role#${i.roleId}` },
  run: (i, ctx) => (deleteRole(ctx.engine, i.roleId), {}),
});
