import type { Engine } from '../engine';
import { AppError } from '../errors';
import { seedBuiltInRoles } from './roles';
import { countUsers, createUser } from './users';

/**
 * At start: built-in roles exist, and when no user exists yet and TORSH_ADMIN_PASSWORD is set,
 * the user `admin` is created with it. Without it, the one-time setup page creates the first admin.
 */
export async function bootstrapAccounts(engine: Engine, adminPassword: string | undefined): Promise<void> {
  seedBuiltInRoles(engine);
  if (!adminPassword || countUsers(engine) > 0) return;
  await createUser(engine, { username: 'admin', email: 'admin@localhost', password: adminPassword, roles: ['admin'] }, { onlyIfFirst: true }).catch(
    (err) => {
      // Another process won the race to create the first user.
      if (err instanceof AppError && (err.code === 'USER_EXISTS' || err.code === 'SETUP_DONE')) return;
      throw err;
    },
  );
}

/** The first admin, from the setup page. Refused once any user exists. */
export async function setupFirstAdmin(engine: Engine, input: { username: string; email: string; password: string }): Promise<{ id: number }> {
  if (countUsers(engine) > 0) throw new AppError('SETUP_DONE', 'setup is already complete; sign in instead');
  return createUser(engine, { ...input, roles: ['admin'] }, { onlyIfFirst: true });
}
