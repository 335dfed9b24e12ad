'use client';

import Link from 'next/link';
import { formatPercent } from '@/components/charts/format-units';
import { PanelMessage } from '@/components/overview/panel-message';
import { Card } from '@/components/ui/card';
import { useCdnTraffic } from '@/lib/queries/use-edges';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';

const LAST_HOUR = { kind: 'preset', id: '1h' } as const;

/** The Overview's cache-hit panel: every edge over the last hour (ViewStats or ManageCdn). */
export function CacheHitPanel() {
  const traffic = useCdnTraffic(LAST_HOUR);
  const totals = traffic.data?.overall.totals;
  return (
    <Card
      title="Cache hit rate"
      actions={
        <Link href="/cdn" className="text-sm font-medium text-indigo-700 hover:underline">
          CDN
        </Link>
      }
    >
      {!traffic.data ? (
        <PanelMessage title={traffic.isPending ? 'Loading…' : 'Not available'}>
          {traffic.isPending ? '' : 'Edge statistics need ViewStats or ManageCdn.'}
        </PanelMessage>
      ) : !totals || totals.requests === 0 ? (
        <PanelMessage title="No data yet">
          Filled by edge caches once they are registered (CDN) and serve requests: hits, misses and bytes served from cache.
        </PanelMessage>
      ) : (
        <dl className="grid grid-cols-2 gap-3 px-4 py-4 text-sm">
          <div className="col-span-2">
            <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">Hit rate, last hour</dt>
            <dd className="text-2xl font-semibold text-slate-900 tabular-nums" data-cache-hit-rate>
              {totals.hit_rate === null ? '—' : formatPercent(totals.hit_rate)}
            </dd>
            <dd className="text-xs text-slate-500">
              {formatCount(totals.hits)} of {formatCount(totals.requests)} requests
            </dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">From cache</dt>
            <dd className="font-medium text-slate-900 tabular-nums">{formatBytes(totals.bytes_from_cache)}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-600">From origin</dt>
            <dd className="font-medium text-slate-900 tabular-nums">{formatBytes(totals.bytes_from_origin)}</dd>
          </div>
        </dl>
      )}
    </Card>
  );
}
