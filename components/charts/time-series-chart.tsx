'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { formatTick, formatTimeFull, formatTimeTick, formatUnit, type ChartUnit } from './format-units';

export type TimePoint = { t: number } & Record<string, number | null>;

/** The row holds at least one reading, not only its time. */
export const hasReading = (row: TimePoint) => Object.entries(row).some(([k, v]) => k !== 't' && typeof v === 'number');

/** Some row holds a reading: otherwise a chart shows its empty state. */
export const hasValues = (data: TimePoint[]) => data.some(hasReading);

export type ChartSeries = { key: string; label: string; color?: string };

export type TimeSeriesChartProps = {
  title: string;
  data: TimePoint[];
  series: ChartSeries[];
  unit: ChartUnit;
  kind?: 'line' | 'area';
  /** Areas stacked on each other (a total split by its parts). */
  stacked?: boolean;
  /** A horizontal line, e.g. an alert rule's threshold. */
  threshold?: { value: number; label: string };
  height?: number;
  note?: ReactNode;
  /** When set, shown in place of the chart (no data yet, and how it will appear). */
  empty?: ReactNode;
  /** Mark each reading (sparse series: a few readings a day). */
  dots?: boolean;
  actions?: ReactNode;
};

export const CHART_COLORS = ['#4f46e5', '#0891b2', '#d97706', '#dc2626', '#16a34a', '#7c3aed', '#db2777', '#475569'];

/** Words for screen readers: the range, and each series' peak and latest value. */
export function describeSeries(title: string, data: TimePoint[], series: ChartSeries[], unit: ChartUnit): string {
  if (data.length === 0) return `${title}: no data`;
  const span = `${formatTimeFull(data[0]!.t)} to ${formatTimeFull(data[data.length - 1]!.t)}`;
  const parts = series.map((s) => {
    const values = data.map((p) => p[s.key]).filter((v): v is number => typeof v === 'number');
    if (values.length === 0) return `${s.label}: no values`;
    const total = unit === 'count' || unit === 'bytes' ? `, total ${formatUnit(values.reduce((a, b) => a + b, 0), unit)}` : '';
    return `${s.label}: peak ${formatUnit(Math.max(...values), unit)}${total}, latest ${formatUnit(values[values.length - 1], unit)}`;
  });
  return `${title}, ${data.length} points from ${span}. ${parts.join('; ')}.`;
}

/** The one time-series chart of the dashboard: lines or areas over time, units on the value axis, a table view. */
export function TimeSeriesChart({ title, data, series, unit, kind = 'line', stacked = false, threshold, height = 240, note, empty, actions, dots = false }: TimeSeriesChartProps) {
  const span = data.length > 1 ? data[data.length - 1]!.t - data[0]!.t : 0;
  const colorOf = (i: number, s: ChartSeries) => s.color ?? CHART_COLORS[i % CHART_COLORS.length];
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={(t: number) => formatTimeTick(t, span)}
        tick={{ fontSize: 11, fill: '#475569' }}
        minTickGap={24}
      />
      <YAxis
        tickFormatter={(v: number) => formatTick(v, unit)}
        tick={{ fontSize: 11, fill: '#475569' }}
        width={72}
        allowDecimals={unit !== 'count'}
        domain={threshold ? [0, (max: number) => Math.max(max, threshold.value * 1.1)] : [0, 'auto']}
      />
      <Tooltip
        labelFormatter={(t) => formatTimeFull(Number(t))}
        formatter={(v) => formatUnit(typeof v === 'number' ? v : Number(v), unit)}
      />
      {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
      {threshold && (
        <ReferenceLine
          y={threshold.value}
          stroke="#dc2626"
          strokeDasharray="6 3"
          label={{ value: `${threshold.label} (${formatUnit(threshold.value, unit)})`, position: 'insideTopRight', fontSize: 11, fill: '#b91c1c' }}
        />
      )}
    </>
  );
  const chart = () => (
    <ResponsiveContainer width="100%" height={height}>
      {kind === 'area' ? (
        <AreaChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          {axes}
          {series.map((s, i) => (
            <Area
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="monotone"
              stackId={stacked ? 'stack' : undefined}
              stroke={colorOf(i, s)}
              fill={colorOf(i, s)}
              fillOpacity={0.2}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </AreaChart>
      ) : (
        <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          {axes}
          {series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.label} type="monotone" stroke={colorOf(i, s)} strokeWidth={2} dot={dots ? { r: 3 } : false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      )}
    </ResponsiveContainer>
  );
  const table = () => (
    <table className="min-w-full text-sm">
      <caption className="sr-only">{title}</caption>
      <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium tracking-wide text-slate-600 uppercase">
        <tr>
          <th scope="col" className="px-3 py-2">Time</th>
          {series.map((s) => (
            <th key={s.key} scope="col" className="px-3 py-2 text-right">{s.label}</th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 tabular-nums">
        {data.map((p) => (
          <tr key={p.t}>
            <th scope="row" className="px-3 py-1.5 text-left font-normal whitespace-nowrap text-slate-700">{formatTimeFull(p.t)}</th>
            {series.map((s) => (
              <td key={s.key} className="px-3 py-1.5 text-right text-slate-900" data-series={s.key}>{formatUnit(p[s.key], unit)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame title={title} summary={describeSeries(title, data, series, unit)} note={note} empty={empty} chart={chart} table={table} actions={actions} />
  );
}
