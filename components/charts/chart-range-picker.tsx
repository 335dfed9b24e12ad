'use client';

import { RANGE_PRESETS, type RangePreset } from '@/lib/ui/time-range';

/** The short ranges the health charts (mirrors, replication) offer. */
export const CHART_RANGES: readonly RangePreset[] = ['1h', '24h', '7d'];

/** A compact segmented control: 1 h · 24 h · 7 d. */
export function ChartRangePicker({ value, onChange }: { value: RangePreset; onChange: (range: RangePreset) => void }) {
  return (
    <div role="group" aria-label="Chart range" className="inline-flex rounded-md border border-slate-300 text-xs">
      {CHART_RANGES.map((r) => (
        <button
          key={r}
          type="button"
          aria-pressed={value === r}
          onClick={() => onChange(r)}
          className={`px-2.5 py-1 font-medium first:rounded-l-md last:rounded-r-md ${value === r ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
        >
          {RANGE_PRESETS.find((p) => p.id === r)!.label}
        </button>
      ))}
    </div>
  );
}
