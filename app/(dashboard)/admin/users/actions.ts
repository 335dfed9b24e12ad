'use server';

import { createUserBy, resetPassword, setUserDisabled, setUserRoles } from '@/lib/engine/access/users';
import { action } from '@/lib/server/action';
import { ZCreateUserInput, ZResetPasswordInput, ZSetUserDisabledInput, ZSetUserRolesInput } from '@/lib/validations/accounts';

export const createUserAction = action({
  permission: 'ManageUsers',
  input: ZCreateUserInput,
  audit: { action: 'user.create', target: (i) => i.username },
  run: (i, ctx) => createUserBy(ctx.engine, ctx.actor, i),
});

export const setUserDisabledAction = action({
  permission: 'ManageUsers',
  input: ZSetUserDisabledInput,
  audit: { action: 'user.set-disabled', target: (i) => `user#${i.userId} disabled=${i.disabled}` },
  run: (i, ctx) => (setUserDisabled(ctx.engine, ctx.actor, i), {}),
});

export const resetPasswordAction = action({
  permission: 'ManageUsers',
  input: ZResetPasswordInput,
  audit: { action: 'user.reset-password', target: (i) => `user#${i.userId}` },
  run: async (i, ctx) => (await resetPassword(ctx.engine, ctx.actor, i), {}),
});

export const setUserRolesAction = action({
  permission: 'ManageUsers',
  input: ZSetUserRolesInput,
  audit: { action: 'user.set-roles', target: (i) => `user#${i.userId} roles=${i.roles.join(',')}` },
  run: (i, ctx) => (setUserRoles(ctx.engine, ctx.actor, i), {}),
});
