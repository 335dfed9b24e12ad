import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEventView } from '@/lib/engine/audit/list-audit';
import { fetchJson } from './api-error';

export type AuditEvent = AuditEventView;
export type AuditResult = AuditEventView['result'];

export type AuditPage = { total: number; page: number; per_page: number; events: AuditEvent[] };

/** Filters as the API takes them; `from`/`to` are ms since the epoch. */
export type AuditFilters = {
  actor: string;
  action: string;
  target: string;
  result: AuditResult | '';
  from: number | null;
  to: number | null;
};

export const auditKey = ['audit'] as const;

/** The API query string for these filters (also used by the CSV export link). */
export function auditSearchParams(filters: AuditFilters, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'target', 'result'] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.from !== null) params.set('from', String(filters.from));
  if (filters.to !== null) params.set('to', String(filters.to));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params;
}

export function useAudit(filters: AuditFilters, page: number, perPage: number) {
  return useQuery({
    queryKey: [...auditKey, filters, page, perPage],
    queryFn: () =>
      fetchJson<AuditPage>(`/api/v1/audit?${auditSearchParams(filters, { page: String(page), per_page: String(perPage) })}`),
    placeholderData: keepPreviousData,
  });
}
