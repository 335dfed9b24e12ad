'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { RANGE_PRESETS, rangeBounds, type TimeRangeChoice } from '@/lib/ui/time-range';

/** `datetime-local` value (local time, minutes) for ms since the epoch. */
function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

type Props = { value: TimeRangeChoice; onChange: (range: TimeRangeChoice) => void };

/** 1 h · 24 h · 7 d · 30 d, or custom from/to bounds. */
export function TimeRangePicker({ value, onChange }: Props) {
  const [customOpen, setCustomOpen] = useState(value.kind === 'custom');
  const bounds = rangeBounds(value);
  const [from, setFrom] = useState(toLocalInput(bounds.from));
  const [to, setTo] = useState(toLocalInput(bounds.to));
  const [error, setError] = useState<string | null>(null);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const f = new Date(from).getTime();
    const t = new Date(to).getTime();
    if (!Number.isFinite(f) || !Number.isFinite(t)) return setError('Enter both dates.');
    if (f >= t) return setError('“From” must be before “To”.');
    if (t - f > 400 * 86_400_000) return setError('A range may cover at most 400 days.');
    setError(null);
    onChange({ kind: 'custom', from: f, to: t });
  };

  const segment = (active: boolean) =>
    `px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${active ? 'bg-indigo-600 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`;

  return (
    <div className="flex flex-wrap items-start gap-3">
      <div role="group" aria-label="Time range" className="inline-flex divide-x divide-slate-300 rounded-md border border-slate-300 shadow-sm">
        {RANGE_PRESETS.map((p) => {
          const active = value.kind === 'preset' && value.id === p.id;
          return (
            <button
              key={p.id}
              type="button"
              aria-pressed={active}
              className={segment(active)}
              onClick={() => {
                setCustomOpen(false);
                onChange({ kind: 'preset', id: p.id });
              }}
            >
              {p.label}
            </button>
          );
        })}
        <button type="button" aria-pressed={value.kind === 'custom'} aria-expanded={customOpen} className={segment(value.kind === 'custom')} onClick={() => setCustomOpen((o) => !o)}>
          Custom
        </button>
      </div>
      {customOpen && (
        <form onSubmit={apply} className="flex flex-wrap items-end gap-2" aria-label="Custom time range">
          <label className="text-xs font-medium text-slate-700">
            From
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="mt-0.5 block rounded-md border border-slate-300 px-2 py-1 text-sm" />
          </label>
          <label className="text-xs font-medium text-slate-700">
            To
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="mt-0.5 block rounded-md border border-slate-300 px-2 py-1 text-sm" />
          </label>
          <Button type="submit" size="sm" variant="primary">
            Apply
          </Button>
          {error && (
            <p role="alert" className="w-full text-xs text-red-700">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
