import { auditEvents } from '@/db/schema';
import { actorLabel, type Actor } from '../actor';
import type { Engine } from '../engine';

export type AuditEntry = {
  actor: Actor;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'error';
  errorCode?: string | null;
  clientAddr: string | null;
};

/** One row per mutation attempt. Never pass secrets in `target`. */
export function recordAudit(engine: Engine, entry: AuditEntry): void {
  engine.db
    .insert(auditEvents)
    .values({
      actor: actorLabel(entry.actor),
      action: entry.action,
      target: entry.target,
      result: entry.result,
      errorCode: entry.errorCode ?? null,
      clientAddr: entry.clientAddr,
      createdAt: Date.now(),
    })
    .run();
}
