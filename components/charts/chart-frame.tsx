'use client';

import { useState, type ReactNode } from 'react';

type ChartFrameProps = {
  /** The chart's heading. */
  title: string;
  /** What the chart shows, in words (screen readers read it in place of the drawing). */
  summary: string;
  /** A short note under the title (units, range). */
  note?: ReactNode;
  /** Shown instead of the chart and table when there is no data. */
  empty?: ReactNode;
  chart: () => ReactNode;
  table: () => ReactNode;
  actions?: ReactNode;
};

/** A titled chart panel with a Chart / Table toggle: the table shows the same data as the drawing. */
export function ChartFrame({ title, summary, note, empty, chart, table, actions }: ChartFrameProps) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white shadow-sm" data-chart={slug}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
          {note && <p className="text-xs text-slate-600">{note}</p>}
        </div>
        <div className="flex items-center gap-2">
          {actions}
          {!empty && (
            <div role="group" aria-label={`${title} view`} className="inline-flex rounded-md border border-slate-300 text-xs">
              {(['chart', 'table'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => setView(v)}
                  className={`px-2.5 py-1 font-medium first:rounded-l-md last:rounded-r-md ${view === v ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
                >
                  {v === 'chart' ? 'Chart' : 'Table'}
                </button>
              ))}
            </div>
          )}
        </div>
      </div>
      <div className="p-3">
        {empty ? (
          <div className="flex min-h-32 items-center justify-center px-4 py-6 text-center text-sm text-slate-600">{empty}</div>
        ) : view === 'chart' ? (
          <div role="img" aria-label={summary}>
            {chart()}
          </div>
        ) : (
          <div className="max-h-80 overflow-auto">{table()}</div>
        )}
      </div>
    </section>
  );
}
