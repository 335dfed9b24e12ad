'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { setRegionRangesAction, setStrategyAction } from '@/app/(dashboard)/mirrors/actions';
import { INPUT_CLASSES } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import type { MirrorSettings, RegionRange } from '@/lib/queries/use-mirrors';
import type { SelectionStrategy } from '@/lib/engine/mirrors/select-mirror';
import { unwrapAction } from '@/lib/ui/unwrap-action';

const STRATEGY_INFO: Record<SelectionStrategy, string> = {
  priority: 'Priority: lowest priority number first.',
  weighted: 'Weighted random: a random order, each mirror drawn in proportion to its weight.',
  least_loaded: 'Least loaded: fewest requests in flight (as each mirror last reported).',
  lowest_latency: 'Lowest latency: fastest health probe first.',
  geographic: 'Geographic: mirrors in the client’s region first (?region=, X-Torsh-Region, else the address ranges below).',
};

type SettingsProps = { settings: MirrorSettings; onSaved: () => Promise<unknown> };

/** How `locations` orders mirrors; healthy mirrors always come before degraded ones. */
export function StrategySelector({ settings, onSaved }: SettingsProps) {
  const id = useId();
  const [strategy, setStrategy] = useState<SelectionStrategy>(settings.strategy);
  const save = useMutation({ mutationFn: (s: SelectionStrategy) => unwrapAction(setStrategyAction({ strategy: s })), onSuccess: onSaved });
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(strategy);
      }}
    >
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        Selection strategy
      </label>
      <div className="flex flex-wrap gap-2">
        <select id={id} value={strategy} onChange={(e) => setStrategy(e.target.value as SelectionStrategy)} className={`max-w-xs ${INPUT_CLASSES}`}>
          {settings.strategies.map((s) => (
            <option key={s} value={s}>
              {s.replace('_', ' ')}
            </option>
          ))}
        </select>
        <Button type="submit" variant="primary" disabled={save.isPending || strategy === settings.strategy}>
          Save strategy
        </Button>
      </div>
      <p className="text-xs text-slate-600">{STRATEGY_INFO[strategy]}</p>
      {save.isSuccess && strategy === settings.strategy && <p role="status" className="text-xs text-emerald-700">Saved.</p>}
      {save.error && <ErrorState title="Could not save the strategy" error={save.error} />}
    </form>
  );
}

type Row = { key: number; cidr: string; region: string };

/** The address-range table: a client that names no region gets the region of the most specific range holding its address. */
export function RegionRangesEditor({ settings, onSaved }: SettingsProps) {
  const [rows, setRows] = useState<Row[]>(() => settings.region_ranges.map((r, i) => ({ key: i, cidr: r.cidr, region: r.region })));
  const [nextKey, setNextKey] = useState(settings.region_ranges.length);
  const save = useMutation({
    mutationFn: (ranges: Omit<RegionRange, 'id'>[]) => unwrapAction(setRegionRangesAction({ region_ranges: ranges })),
    onSuccess: onSaved,
  });
  const update = (key: number, patch: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(rows.filter((r) => r.cidr.trim() || r.region.trim()).map((r) => ({ cidr: r.cidr.trim(), region: r.region.trim().toLowerCase() })));
      }}
    >
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-900">Region by client address</legend>
        {rows.length === 0 && <p className="text-sm text-slate-600">No ranges: clients that name no region get none, and geographic selection falls back to priority.</p>}
        {rows.map((r, i) => (
          <div key={r.key} className="flex flex-wrap items-center gap-2">
            <input aria-label={`Range ${i + 1} CIDR`} value={r.cidr} onChange={(e) => update(r.key, { cidr: e.target.value })} placeholder="10.0.0.0/8" className={`max-w-52 font-mono ${INPUT_CLASSES}`} />
            <input aria-label={`Range ${i + 1} region`} value={r.region} onChange={(e) => update(r.key, { region: e.target.value })} placeholder="eu-west" className={`max-w-40 ${INPUT_CLASSES}`} />
            <Button size="sm" variant="danger-outline" onClick={() => setRows(rows.filter((x) => x.key !== r.key))} aria-label={`Remove range ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
      </fieldset>
      <div className="flex gap-2">
        <Button
          onClick={() => {
            setRows([...rows, { key: nextKey, cidr: '', region: '' }]);
            setNextKey(nextKey + 1);
          }}
        >
          Add range
        </Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          Save ranges
        </Button>
      </div>
      {save.isSuccess && !save.isPending && <p role="status" className="text-xs text-emerald-700">Saved {save.data.region_ranges.length} ranges.</p>}
      {save.error && <ErrorState title="Could not save the ranges" error={save.error} />}
    </form>
  );
}
