import type { Db } from '@/db';
import { changes, type ChangeRow } from '@/db/schema';

type Tx = Pick<Db, 'insert'>;

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
 * One row of the change feed. Call it inside the transaction of the change itself, so the
 * feed's order is the commit order and a rolled-back change leaves no row.
 */
export function recordChange(tx: Tx, change: ChangeInput, now = Date.now()): void {
  tx.insert(changes)
    .values({
      kind: change.kind,
      name: change.name,
      version: change.version ?? null,
      digest: change.digest ?? null,
      size: change.size ?? null,
      data: change.data ? JSON.stringify(change.data) : null,
      createdAt: now,
    })
    .run();
}
