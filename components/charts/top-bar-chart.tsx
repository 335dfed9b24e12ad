'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { formatTick, formatUnit, type ChartUnit } from './format-units';
import { CHART_COLORS } from './time-series-chart';

export type TopItem = { label: string; value: number; /** Extra columns for the table view. */ extra?: Record<string, string> };

type TopBarChartProps = {
  title: string;
  items: TopItem[];
  unit: ChartUnit;
  /** The value column's name in the table ("Downloads"). */
  valueLabel: string;
  color?: string;
  note?: ReactNode;
  empty?: ReactNode;
};

/** A ranked top-N as horizontal bars, with a table view carrying the same rows (and any extra columns). */
export function TopBarChart({ title, items, unit, valueLabel, color = CHART_COLORS[0], note, empty }: TopBarChartProps) {
  const extraColumns = [...new Set(items.flatMap((i) => Object.keys(i.extra ?? {})))];
  const summary =
    items.length === 0
      ? `${title}: no data`
      : `${title}: ${items.map((i) => `${i.label} ${formatUnit(i.value, unit)}`).join(', ')}.`;
  const chart = () => (
    <ResponsiveContainer width="100%" height={Math.max(120, items.length * 32 + 40)}>
      <BarChart data={items} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" tickFormatter={(v: number) => formatTick(v, unit)} tick={{ fontSize: 11, fill: '#475569' }} allowDecimals={unit !== 'count'} />
        <YAxis type="category" dataKey="label" width={140} tick={{ fontSize: 11, fill: '#334155' }} interval={0} />
        <Tooltip formatter={(v) => [formatUnit(Number(v), unit), valueLabel]} />
        <Bar dataKey="value" name={valueLabel} fill={color} isAnimationActive={false} radius={[0, 3, 3, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
  const table = () => (
    <table className="min-w-full text-sm">
      <caption className="sr-only">{title}</caption>
      <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium tracking-wide text-slate-600 uppercase">
        <tr>
          <th scope="col" className="px-3 py-2">Name</th>
          <th scope="col" className="px-3 py-2 text-right">{valueLabel}</th>
          {extraColumns.map((c) => (
            <th key={c} scope="col" className="px-3 py-2 text-right">{c}</th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 tabular-nums">
        {items.map((i) => (
          <tr key={i.label}>
            <th scope="row" className="px-3 py-1.5 text-left font-medium text-slate-800">{i.label}</th>
            <td className="px-3 py-1.5 text-right text-slate-900">{formatUnit(i.value, unit)}</td>
            {extraColumns.map((c) => (
              <td key={c} className="px-3 py-1.5 text-right text-slate-900">{i.extra?.[c] ?? '—'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return <ChartFrame title={title} summary={summary} note={note} empty={empty ?? (items.length === 0 ? 'No data in this range.' : undefined)} chart={chart} table={table} />;
}
