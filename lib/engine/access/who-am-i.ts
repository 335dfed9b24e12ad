import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { PERMISSIONS, type Permission } from './permissions';
import { rolesOfUser } from './roles';
import { countUsers, getUser } from './users';

export type MeView = {
  user: null | { id: number; username: string; email: string; roles: string[]; permissions: Permission[]; is_admin: boolean };
  needs_setup: boolean;
};

export function whoAmI(engine: Engine, actor: Actor): MeView {
  if (actor.userId === null) return { user: null, needs_setup: countUsers(engine) === 0 };
  const user = getUser(engine, actor.userId);
  return {
    user: {
      id: user.id,
      username: user.username,
      email: user.email,
      roles: rolesOfUser(engine, user.id).roles,
      permissions: PERMISSIONS.filter((p) => actor.permissions.has(p)),
      is_admin: actor.isAdmin,
    },
    needs_setup: false,
  };
}
