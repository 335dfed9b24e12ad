import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { changes, packages, type ChangeRow } from '@/db/schema';

type Tx = Pick<Db, 'insert' | 'select'>;

type ChangeKind = ChangeRow['kind'];

type ChangeInput = {
  kind: ChangeKind;
  name: string;
  version?: string | null;
  /** sha256 hex of the version's bytes. */
  digest?: string | null;
  size?: number | null;
  /** Kind-specific fields (channel, visibility, reason…). */
  data?: Record<string, unknown>;
};

/**
 * Whether anonymous followers may see the change: a visibility change when the package was or
 * becomes public; any other when the package is public as of this transaction (a deleted
 * version's row is read before the package goes).
 */
function isPublic(tx: Tx, change: ChangeInput): boolean {
  if (change.kind === 'visibility') return change.data?.from === 'public' || change.data?.to === 'public';
  if (typeof change.data?.visibility === 'string') return change.data.visibility === 'public';
  const row = tx.select({ visibility: packages.visibility }).from(packages).where(eq(packages.name, change.name)).get();
  return row?.visibility === 'public';
}

/**
 * One row of the change feed. Call it inside the transaction of the change itself, so the
 * feed's order is the commit order and a rolled-back change leaves no row. Returns its seq.
 */
export function recordChange(tx: Tx, change: ChangeInput, now = Date.now()): number {
  return tx
    .insert(changes)
    .values({
      kind: change.kind,
      name: change.name,
      version: change.version ?? null,
      digest: change.digest ?? null,
      size: change.size ?? null,
      data: change.data ? JSON.stringify(change.data) : null,
      public: isPublic(tx, change),
      createdAt: now,
    })
    .returning({ seq: changes.seq })
    .get().seq;
}
