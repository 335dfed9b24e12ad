import { and, desc, eq, gte, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { auditEvents } from '@/db/schema';
import type { Engine } from '../engine';

export type AuditFilter = {
  actor?: string;
  action?: string;
  target?: string;
  result?: 'ok' | 'denied' | 'error';
  from?: number;
  to?: number;
};

export type AuditEventView = {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'error';
  error_code: string | null;
  client_addr: string | null;
  created_at: number;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (col: Parameters<typeof like>[0], value: string) => sql`${col} LIKE ${`%${escapeLike(value)}%`} ESCAPE '\\'`;

function where(f: AuditFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    f.actor ? contains(auditEvents.actor, f.actor) : undefined,
    f.action ? contains(auditEvents.action, f.action) : undefined,
    f.target ? contains(auditEvents.target, f.target) : undefined,
    f.result ? eq(auditEvents.result, f.result) : undefined,
    f.from !== undefined ? gte(auditEvents.createdAt, f.from) : undefined,
    f.to !== undefined ? lte(auditEvents.createdAt, f.to) : undefined,
  ];
  return and(...parts.filter((p): p is SQL => p !== undefined));
}

const toView = (r: typeof auditEvents.$inferSelect): AuditEventView => ({
  id: r.id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  result: r.result,
  error_code: r.errorCode,
  client_addr: r.clientAddr,
  created_at: r.createdAt,
});

/** Newest first, filtered (substring match on actor/action/target), paginated. */
export function listAudit(engine: Engine, f: AuditFilter, page: number, perPage: number): { total: number; events: AuditEventView[] } {
  const w = where(f);
  const total = engine.db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(w).get()!.n;
  const rows = engine.db
    .select()
    .from(auditEvents)
    .where(w)
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  return { total, events: rows.map(toView) };
}

const CSV_COLUMNS = ['id', 'time', 'actor', 'action', 'target', 'result', 'error_code', 'client_addr'] as const;

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Quote always; neutralise spreadsheet formulas (=, +, -, @ at the start).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

type Cursor = { createdAt: number; id: number };

/** The page after `cursor` in the log's order (newest first): a keyset seek, never OFFSET. */
function pageAfter(engine: Engine, f: AuditFilter, cursor: Cursor | null, size: number): AuditEventView[] {
  const after = cursor
    ? or(lt(auditEvents.createdAt, cursor.createdAt), and(eq(auditEvents.createdAt, cursor.createdAt), lt(auditEvents.id, cursor.id)))
    : undefined;
  return engine.db
    .select()
    .from(auditEvents)
    .where(and(where(f), after))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(size)
    .all()
    .map(toView);
}

/**
 * Every matching event as CSV, streamed page by page with a keyset cursor: each page costs the
 * same however deep into the log it is, and memory stays flat however long the log.
 */
export async function* auditCsv(engine: Engine, f: AuditFilter, pageSize = 1000): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for (let cursor: Cursor | null = null; ; ) {
    const events = pageAfter(engine, f, cursor, pageSize);
    if (events.length === 0) return;
    const last = events[events.length - 1];
    cursor = { createdAt: last.created_at, id: last.id };
    yield events
      .map((e) =>
        [e.id, new Date(e.created_at).toISOString(), e.actor, e.action, e.target, e.result, e.error_code, e.client_addr].map(csvCell).join(','),
      )
      .join('\n') + '\n';
    if (events.length < pageSize) return;
  }
}
