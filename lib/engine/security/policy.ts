import { eq } from 'drizzle-orm';
import { packages, settings } from '@/db/schema';
import type { Engine } from '../engine';

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

/** The package's own setting when it has one, else the global policy. */
export function requiresSignature(engine: Engine, packageName: string): boolean {
  const pkg = engine.db.select({ r: packages.requireSignature }).from(packages).where(eq(packages.name, packageName)).get();
  return pkg?.r ?? getPolicy(engine).require_signature;
}

export function setPackageRequireSignature(engine: Engine, packageName: string, value: boolean | null): void {
  engine.db.update(packages).set({ requireSignature: value }).where(eq(packages.name, packageName)).run();
}
