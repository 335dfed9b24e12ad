import { z } from 'zod';
import { PACKAGE_PERMISSIONS, PERMISSIONS } from '@/lib/engine/access/permissions';
import { ROLE_NAME_RE } from '@/lib/engine/access/roles';
import { MIN_PASSWORD_LENGTH, RESERVED_USERNAMES, USERNAME_RE } from '@/lib/engine/access/users';
import { ZPackageName } from './package';

export const ZPermissionName = z.enum(PERMISSIONS, { message: 'unknown permission' });
export const ZPackagePermission = z.enum(PACKAGE_PERMISSIONS, { message: 'not a package permission' });

export const ZUsername = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_RE, 'usernames are 2–32 lowercase letters, digits, ".", "_" or "-"');
/** A name for a new account: not one the UI shows for something else (the registry key, anonymous, system). */
const ZNewUsername = ZUsername.refine((name) => !RESERVED_USERNAMES.includes(name), { message: 'this username is reserved' });
export const ZPassword = z.string().min(MIN_PASSWORD_LENGTH, `passwords need at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);
export const ZEmail = z.string().trim().toLowerCase().email('enter a valid email address').max(254);
export const ZRoleName = z.string().regex(ROLE_NAME_RE, 'role names are 2–32 lowercase letters, digits, "_" or "-"');
const ZId = z.coerce.number().int().positive();

/** Sign-in fields are not pattern-checked: every failure must look the same. */
export const ZLoginInput = z.object({ username: z.string().max(64), password: z.string().max(1024) });
export const ZSetupInput = z.object({ username: ZNewUsername, email: ZEmail, password: ZPassword });

export const ZCreateUserInput = z.object({ username: ZNewUsername, email: ZEmail, password: ZPassword, roles: z.array(ZRoleName).max(32) });
export const ZSetUserDisabledInput = z.object({ userId: ZId, disabled: z.coerce.boolean() });
export const ZResetPasswordInput = z.object({ userId: ZId, password: ZPassword });
export const ZSetUserRolesInput = z.object({ userId: ZId, roles: z.array(ZRoleName).max(32) });

export const ZCreateRoleInput = z.object({
  name: ZRoleName,
  description: z.string().trim().max(200).optional(),
  permissions: z.array(ZPermissionName).max(64),
});
export const ZUpdateRoleInput = z.object({
  roleId: ZId,
  description: z.string().trim().max(200).optional(),
  permissions: z.array(ZPermissionName).max(64),
});
export const ZRoleIdInput = z.object({ roleId: ZId });

export const ZCreateTokenInput = z.object({
  name: z.string().trim().min(1, 'give the token a name').max(100),
  scopes: z.array(ZPermissionName).max(64).optional(),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export const ZRevokeTokenInput = z.object({ tokenId: ZId });

/** POST /api/v1/auth/tokens (the CLI's login). */
export const ZIssueTokenBody = z.object({
  username: z.string().max(64),
  password: z.string().max(1024),
  name: z.string().trim().min(1).max(100),
  scopes: z.array(ZPermissionName).max(64).optional(),
  expires_in_days: z.number().int().min(1).max(3650).optional(),
});

export const ZVisibility = z.enum(['public', 'restricted', 'private']);
export const ZVisibilityInput = z.object({ name: ZPackageName, visibility: ZVisibility });
export const ZOwnerInput = z.object({ name: ZPackageName, username: ZUsername });
export const ZGrantInput = z.object({ name: ZPackageName, username: ZUsername, permissions: z.array(ZPackagePermission).max(16) });

export const ZUsersQuery = z.object({
  q: z.string().max(100).default(''),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});

export const ZAuditQuery = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(300).optional(),
  result: z.enum(['ok', 'denied', 'error']).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'csv']).default('json'),
});

export const ZKeyId = z.string().regex(/^[a-f0-9]{16}$/, 'key ids are 16 lowercase hex characters');
/** The proof fields are checked by the engine, so a client that omits them learns how to prove the key (KEY_PROOF_INVALID). */
export const ZRegisterKeyInput = z.object({
  name: z.string().trim().min(1, 'give the key a name').max(100),
  public_key: z.string().trim().min(1).max(2000),
  challenge: z.string().trim().max(200).optional(),
  signature: z.string().trim().max(200).optional(),
});
export const ZRevokeKeyInput = z.object({ keyId: ZKeyId });
export const ZPolicyInput = z.object({
  require_signature: z.boolean().optional(),
  sign_browser_publishes: z.boolean().optional(),
});
export const ZPackageSignaturePolicyInput = z.object({ name: ZPackageName, require_signature: z.boolean().nullable() });
