import { eq } from 'drizzle-orm';
import { packages, settings } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';

export type SignaturePolicy = {
  /** Refuse publishes whose signature is missing or does not verify. */
  require_signature: boolean;
  /** Sign publishes made in the browser (no signature of their own) with the registry key. */
  sign_browser_publishes: boolean;
};

const KEY = 'signature_policy';
const DEFAULT_POLICY: SignaturePolicy = { require_signature: false, sign_browser_publishes: true };

export function getPolicy(engine: Engine): SignaturePolicy {
  const row = engine.db.select().from(settings).where(eq(settings.key, KEY)).get();
  return { ...DEFAULT_POLICY, ...(row ? (JSON.parse(row.value) as Partial<SignaturePolicy>) : {}) };
}

export function setPolicy(engine: Engine, patch: Partial<SignaturePolicy>): SignaturePolicy {
  const next = { ...getPolicy(engine), ...patch };
  const now = Date.now();
  engine.db
    .insert(settings)
    .values({ key: KEY, value: JSON.stringify(next), updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(next), updatedAt: now } })
    .run();
  return next;
}

/**
 * The package's own setting when it has one, else the global policy. `false` (an exemption from
 * a global "on") is only ever set by a holder of ManageSecurity: see setPackageRequireSignature.
 */
export function requiresSignature(engine: Engine, packageName: string): boolean {
  const pkg = engine.db.select({ r: packages.requireSignature }).from(packages).where(eq(packages.name, packageName)).get();
  return pkg?.r ?? getPolicy(engine).require_signature;
}

/**
 * A package's own signature rule: `true` requires signatures whatever the global policy says,
 * `null` follows it, `false` exempts the package from it. The setting may tighten the global
 * policy (whoever manages the package), but only ManageSecurity may loosen it: `false` exempts
 * the package from a global "on" now or later, so it needs that permission.
 */
export function setPackageRequireSignature(engine: Engine, actor: Actor, packageName: string, value: boolean | null): void {
  if (value === false && !actor.permissions.has('ManageSecurity')) {
    throw new AppError(
      'FORBIDDEN',
      `only a holder of ManageSecurity may exempt ${packageName} from the registry's signature policy; a package may require signatures, or follow the registry policy`,
    );
  }
  engine.db.update(packages).set({ requireSignature: value }).where(eq(packages.name, packageName)).run();
}
