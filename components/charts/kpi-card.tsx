import { changeRatio, formatPercent } from './format-units';

type KpiCardProps = {
  label: string;
  /** The figure, already formatted with its unit. */
  value: string;
  /** The raw figures this period and the period before, for the change. */
  change?: { current: number; previous: number; /** A rise is bad (errors, latency): ▲ shown in red. */ riseIsBad?: boolean };
  hint?: string;
};

/** A key figure, with its change against the period before (▲/▼ and %). */
export function KpiCard({ label, value, change, hint }: KpiCardProps) {
  const ratio = change ? changeRatio(change.current, change.previous) : undefined;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm" data-kpi={label}>
      <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-kpi-value>
        {value}
      </dd>
      {change && <ChangeLine ratio={ratio ?? null} riseIsBad={change.riseIsBad ?? false} />}
      {hint && <dd className="mt-0.5 text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}

function ChangeLine({ ratio, riseIsBad }: { ratio: number | null; riseIsBad: boolean }) {
  if (ratio === null) return <dd className="mt-0.5 text-xs text-slate-500">new vs previous period</dd>;
  if (ratio === 0) return <dd className="mt-0.5 text-xs text-slate-500">no change vs previous period</dd>;
  const up = ratio > 0;
  const good = up !== riseIsBad;
  return (
    <dd className={`mt-0.5 text-xs font-medium ${good ? 'text-emerald-700' : 'text-red-700'}`}>
      <span aria-hidden="true">{up ? '▲' : '▼'}</span> <span className="sr-only">{up ? 'up' : 'down'}</span>
      {formatPercent(Math.abs(ratio))} vs previous period
    </dd>
  );
}
