'use client';

import { formatMs, formatPercent, formatUnit } from '@/components/charts/format-units';
import { KpiCard } from '@/components/charts/kpi-card';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { TopBarChart } from '@/components/charts/top-bar-chart';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useOverviewMetrics, type OverviewView } from '@/lib/queries/use-metrics';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { formatSpan, rangeLabel, type TimeRangeChoice } from '@/lib/ui/time-range';
import { TimeRangePicker } from './time-range-picker';
import { UpdatedAgo } from './updated-ago';

const KPI_GRID = 'grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5';
const NO_DOWNLOADS = 'No downloads in this range. Downloads appear here after the first package download.';

type Props = { range: TimeRangeChoice; onRangeChange: (range: TimeRangeChoice) => void };

/** The ViewStats Overview: KPIs with their change, and the charts, for the range in the URL; polled. */
export function MetricsOverview({ range, onRangeChange }: Props) {
  const { data, error, isPending, dataUpdatedAt, isFetching, isPlaceholderData } = useOverviewMetrics(range);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <TimeRangePicker value={range} onChange={onRangeChange} />
        <UpdatedAgo at={dataUpdatedAt} fetching={isFetching && isPlaceholderData} />
      </div>
      {isPending ? (
        <div aria-busy="true" className="space-y-4">
          <span className="sr-only">Loading metrics…</span>
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : error ? (
        <ErrorState title="Could not load metrics" error={error} />
      ) : (
        <MetricsBody data={data} label={rangeLabel(range)} />
      )}
    </div>
  );
}

function MetricsBody({ data, label }: { data: OverviewView; label: string }) {
  const k = data.kpis;
  const noDownloads = k.download_requests === 0 ? NO_DOWNLOADS : undefined;
  const points = data.points.map((p) => ({ ...p }));
  const step = `one point per ${formatSpan(data.step)}`;
  return (
    <>
      <dl className={KPI_GRID} aria-label={`Key figures, ${label}`}>
        <KpiCard label="Packages" value={formatCount(k.packages)} />
        <KpiCard label="Versions" value={formatCount(k.versions)} />
        <KpiCard label="Storage used" value={formatBytes(k.storage_bytes)} />
        <KpiCard label="Downloads" value={formatCount(k.downloads)} change={{ current: k.downloads, previous: k.downloads_previous }} hint={label} />
        <KpiCard label="Bytes served" value={formatBytes(k.bytes_served)} change={{ current: k.bytes_served, previous: k.bytes_served_previous }} hint={label} />
        <KpiCard
          label="p95 download time"
          value={k.p95_download_ms === null ? '—' : formatMs(k.p95_download_ms)}
          change={k.p95_download_ms !== null && k.p95_download_ms_previous !== null ? { current: k.p95_download_ms, previous: k.p95_download_ms_previous, riseIsBad: true } : undefined}
          hint={k.p95_download_ms === null ? 'no downloads in range' : label}
        />
        <KpiCard
          label="API error rate"
          value={k.error_rate === null ? '—' : formatPercent(k.error_rate)}
          change={k.error_rate !== null && k.error_rate_previous !== null ? { current: k.error_rate, previous: k.error_rate_previous, riseIsBad: true } : undefined}
          hint={`${formatCount(k.api_errors)} 5xx of ${formatCount(k.api_requests)} requests`}
        />
        <KpiCard label="Active alerts" value={formatCount(k.active_alerts)} hint="firing now" />
        <KpiCard label="Job backlog" value={formatCount(k.job_backlog)} hint="queued or awaiting retry" />
      </dl>
      <div className="grid gap-4 lg:grid-cols-2">
        <TimeSeriesChart
          title="Downloads over time"
          note={`Full downloads and all download responses (ranges, 304s, errors), ${step}`}
          data={points}
          series={[
            { key: 'downloads', label: 'Downloads' },
            { key: 'requests', label: 'Responses' },
          ]}
          unit="count"
          kind="area"
          empty={noDownloads}
        />
        <TimeSeriesChart
          title="Bandwidth"
          note={`Bytes served by downloads, ${step}`}
          data={points}
          series={[{ key: 'bytes', label: 'Bytes served', color: '#0891b2' }]}
          unit="bytes"
          kind="area"
          empty={noDownloads}
        />
        <TimeSeriesChart
          title="Download time percentiles"
          note="p50, p95 and p99 of download response time"
          data={points}
          series={[
            { key: 'p50', label: 'p50', color: '#16a34a' },
            { key: 'p95', label: 'p95', color: '#d97706' },
            { key: 'p99', label: 'p99', color: '#dc2626' },
          ]}
          unit="ms"
          empty={noDownloads}
        />
        <TopBarChart
          title="Errors by route"
          note="API routes with server errors (5xx) in the range"
          valueLabel="Errors"
          unit="count"
          color="#dc2626"
          items={data.errors_by_route.map((r) => ({
            label: r.route,
            value: r.errors,
            extra: { Requests: formatCount(r.requests), 'Error rate': formatPercent(r.error_rate) },
          }))}
          empty={data.errors_by_route.length === 0 ? 'No server errors in this range. Routes appear here when an API request answers with a 5xx status.' : undefined}
        />
        <TopBarChart
          title="Top packages by downloads"
          valueLabel="Downloads"
          unit="count"
          items={data.top_by_downloads.map((p) => ({ label: p.name, value: p.downloads, extra: { 'Bytes served': formatBytes(p.bytes) } }))}
          empty={data.top_by_downloads.length === 0 ? NO_DOWNLOADS : undefined}
        />
        <TopBarChart
          title="Top packages by bytes served"
          valueLabel="Bytes served"
          unit="bytes"
          color="#0891b2"
          items={data.top_by_bytes.map((p) => ({ label: p.name, value: p.bytes, extra: { Downloads: formatUnit(p.downloads, 'count') } }))}
          empty={data.top_by_bytes.length === 0 ? NO_DOWNLOADS : undefined}
        />
      </div>
    </>
  );
}
