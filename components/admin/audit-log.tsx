'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Icon } from '@/components/ui/icon';
import { Pagination } from '@/components/ui/pagination';
import { auditSearchParams, useAudit, type AuditFilters, type AuditResult } from '@/lib/queries/use-audit';
import { toPage } from '@/lib/ui/use-url-search';
import { AuditTable } from '@/components/tables/audit-table';

const PER_PAGE = 50;
const DEBOUNCE_MS = 300;
const TEXT_FILTERS = ['actor', 'action', 'target'] as const;
const RESULTS: AuditResult[] = ['ok', 'denied', 'error'];

/** Filters as they sit in the page URL; dates are datetime-local strings ("2025-01-31T09:30"). */
type UrlFilters = Record<(typeof TEXT_FILTERS)[number] | 'result' | 'from' | 'to', string>;

function readFilters(params: URLSearchParams): UrlFilters {
  return {
    actor: params.get('actor') ?? '',
    action: params.get('action') ?? '',
    target: params.get('target') ?? '',
    result: params.get('result') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

function localToMs(value: string): number | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

function toApiFilters(filters: UrlFilters): AuditFilters {
  const result = RESULTS.find((r) => r === filters.result) ?? '';
  const to = localToMs(filters.to);
  return {
    actor: filters.actor.trim(),
    action: filters.action.trim(),
    target: filters.target.trim(),
    result,
    from: localToMs(filters.from),
    // A datetime-local value has minute precision: include the whole "to" minute.
    to: to === null ? null : to + 59_999,
  };
}

function auditHref(filters: UrlFilters, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value.trim()) params.set(key, value.trim());
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
}

const EMPTY: UrlFilters = { actor: '', action: '', target: '', result: '', from: '', to: '' };

/** Filterable, paginated audit events; every filter lives in the URL, and the CSV export carries them. */
export function AuditLog() {
  const searchParams = useSearchParams();
  const urlFilters = readFilters(searchParams);
  const page = toPage(searchParams.get('page'));
  const urlKey = auditHref(urlFilters, 1);

  // Text boxes update the URL after a pause; they follow the URL when it changes from outside (back/forward).
  const [draft, setDraft] = useState(urlFilters);
  const [syncedKey, setSyncedKey] = useState(urlKey);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  if (urlKey !== syncedKey) {
    setSyncedKey(urlKey);
    if (auditHref(draft, 1) !== urlKey) setDraft(urlFilters);
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  function change(key: keyof UrlFilters, value: string, debounce: boolean) {
    const next = { ...draft, [key]: value };
    setDraft(next);
    clearTimeout(timer.current);
    const apply = () => window.history.replaceState(null, '', auditHref(next, 1));
    if (debounce) timer.current = setTimeout(apply, DEBOUNCE_MS);
    else apply();
  }

  function clear() {
    clearTimeout(timer.current);
    setDraft(EMPTY);
    window.history.replaceState(null, '', auditHref(EMPTY, 1));
  }

  const filters = toApiFilters(urlFilters);
  const filtered = urlKey !== '/admin/audit';
  const audit = useAudit(filters, page, PER_PAGE);
  const csvHref = `/api/v1/audit?${auditSearchParams(filters, { format: 'csv' })}`;

  if (audit.error && !audit.data) {
    return <QueryErrorState error={audit.error} title="Could not load the audit log" forbidden="You do not have permission to view the audit log" />;
  }

  return (
    <div className="space-y-4">
      <form
        aria-label="Audit filters"
        onSubmit={(event) => {
          event.preventDefault();
          clearTimeout(timer.current);
          window.history.replaceState(null, '', auditHref(draft, 1));
        }}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6"
      >
        {TEXT_FILTERS.map((key) => (
          <FilterField key={key} label={key[0].toUpperCase() + key.slice(1)}>
            {(id) => (
              <input
                id={id}
                type="search"
                autoComplete="off"
                spellCheck={false}
                value={draft[key]}
                placeholder={key === 'action' ? 'e.g. user.create' : key === 'target' ? 'e.g. resnet50@1.0.0' : 'e.g. user:alice'}
                onChange={(event) => change(key, event.target.value, true)}
                className={INPUT_CLASSES}
              />
            )}
          </FilterField>
        ))}
        <FilterField label="Result">
          {(id) => (
            <select id={id} value={draft.result} onChange={(event) => change('result', event.target.value, false)} className={INPUT_CLASSES}>
              <option value="">All</option>
              {RESULTS.map((result) => (
                <option key={result} value={result}>
                  {result}
                </option>
              ))}
            </select>
          )}
        </FilterField>
        <FilterField label="From">
          {(id) => (
            <input id={id} type="datetime-local" value={draft.from} onChange={(event) => change('from', event.target.value, false)} className={INPUT_CLASSES} />
          )}
        </FilterField>
        <FilterField label="To">
          {(id) => (
            <input id={id} type="datetime-local" value={draft.to} onChange={(event) => change('to', event.target.value, false)} className={INPUT_CLASSES} />
          )}
        </FilterField>
        {/* Enter in a text box applies at once instead of waiting for the pause. */}
        <button type="submit" className="sr-only" tabIndex={-1} aria-hidden="true">
          Apply filters
        </button>
      </form>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p role="status" className="text-sm text-slate-600">
          {audit.isFetching && audit.isPlaceholderData ? 'Loading…' : audit.data ? `${audit.data.total.toLocaleString('en-US')} ${audit.data.total === 1 ? 'event' : 'events'}` : ''}
        </p>
        <div className="flex gap-2">
          {filtered && <Button onClick={clear}>Clear filters</Button>}
          <a href={csvHref} download className={buttonClasses('secondary')}>
            <Icon name="download" />
            Export CSV
          </a>
        </div>
      </div>

      {audit.isPending && <TableSkeleton label="Loading audit events…" columns={7} />}
      {audit.data && audit.data.total === 0 && (
        <EmptyState title={filtered ? 'No audit events match these filters' : 'No audit events yet'} action={filtered ? <Button onClick={clear}>Clear filters</Button> : undefined}>
          {filtered ? 'Widen the time range or remove a filter.' : 'Changes and refused attempts are recorded here as they happen.'}
        </EmptyState>
      )}
      {audit.data && audit.data.total > 0 && audit.data.events.length === 0 && (
        <EmptyState
          title={`Page ${page} is past the last event`}
          action={<Button onClick={() => window.history.pushState(null, '', auditHref(urlFilters, 1))}>Go to the first page</Button>}
        />
      )}
      {audit.data && audit.data.events.length > 0 && (
        <>
          <AuditTable events={audit.data.events} />
          <Pagination
            page={audit.data.page}
            perPage={audit.data.per_page}
            total={audit.data.total}
            shown={audit.data.events.length}
            onPageChange={(next) => window.history.pushState(null, '', auditHref(urlFilters, next))}
          />
        </>
      )}
    </div>
  );
}

function FilterField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <div className="mt-1">{children(id)}</div>
    </div>
  );
}
