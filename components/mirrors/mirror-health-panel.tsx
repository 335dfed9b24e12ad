'use client';

import Link from 'next/link';
import { formatMs } from '@/components/charts/format-units';
import { PanelMessage } from '@/components/overview/panel-message';
import { Card } from '@/components/ui/card';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { useMirrors } from '@/lib/queries/use-mirrors';
import { MirrorStateBadge } from './mirror-state-badge';

const MAX_ROWS = 5;

/** The Overview's mirror-health panel: each mirror's state, latency and lag (ManageMirrors), polled. */
export function MirrorHealthPanel() {
  const me = useMe();
  const allowed = hasPermission(me.data?.user, 'ManageMirrors');
  const mirrors = useMirrors(allowed);
  const list = mirrors.data?.mirrors ?? [];
  const unhealthy = list.filter((m) => m.state === 'unhealthy').length;
  return (
    <Card title="Mirror health" actions={allowed && list.length > 0 ? <Link href="/mirrors" className="text-xs font-medium text-indigo-700 hover:underline">All mirrors</Link> : undefined}>
      {!allowed ? (
        <PanelMessage title="Mirrors">Mirror health is shown to holders of ManageMirrors.</PanelMessage>
      ) : mirrors.error && !mirrors.data ? (
        <PanelMessage title="Could not load mirrors">{mirrors.error.message}</PanelMessage>
      ) : !mirrors.data ? (
        <PanelMessage title="Loading…">Reading mirror states.</PanelMessage>
      ) : list.length === 0 ? (
        <PanelMessage title="No mirrors yet">
          Add one on the <Link href="/mirrors" className="text-indigo-700 underline">Mirrors</Link> page: each mirror’s state, latency and lag behind this origin appear here.
        </PanelMessage>
      ) : (
        <div className="px-4 py-3">
          <p className={`mb-2 text-sm font-medium ${unhealthy > 0 ? 'text-red-700' : 'text-slate-800'}`}>
            {list.length - unhealthy} of {list.length} serving{unhealthy > 0 ? ` · ${unhealthy} unhealthy` : ''}
          </p>
          <ul className="space-y-1.5 text-sm">
            {list.slice(0, MAX_ROWS).map((m) => (
              <li key={m.id} className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate font-mono text-xs text-slate-800" title={m.url}>
                  {new URL(m.url).host}
                </span>
                <span className="flex shrink-0 items-center gap-2 text-xs text-slate-600 tabular-nums">
                  {m.latency_ms !== null && formatMs(m.latency_ms)}
                  {m.lag_changes !== null && ` · lag ${m.lag_changes}`}
                  <MirrorStateBadge mirror={m} />
                </span>
              </li>
            ))}
          </ul>
          {list.length > MAX_ROWS && <p className="mt-2 text-xs text-slate-600">and {list.length - MAX_ROWS} more</p>}
        </div>
      )}
    </Card>
  );
}
