/**
 * The Mirrors page and the Overview panel render (server-side, with the queries' data in place):
 * states with their badge, units, empty states, the history and the settings.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { meKey } from '@/lib/queries/use-me';
import { mirrorsKey, type Mirror, type MirrorSettings } from '@/lib/queries/use-mirrors';
import { MirrorHealthPanel } from './mirror-health-panel';
import { MirrorsDashboard } from './mirrors-dashboard';

const NOW = Date.now();
const mirror = (id: number, over: Partial<Mirror> = {}): Mirror => ({
  id,
  url: `http://127.0.0.1:80${id}0`,
  region: 'eu-west',
  priority: 100,
  weight: 100,
  state: 'healthy',
  pending_state: null,
  pending_count: 0,
  last_check_at: NOW - 5_000,
  latency_ms: 3.2,
  position: 10,
  lag_changes: 0,
  lag_seconds: 0,
  load: 1,
  bytes_held: 5 * 1024 * 1024,
  last_error: null,
  state_changed_at: NOW - 60_000,
  created_at: NOW - 3_600_000,
  updated_at: NOW - 3_600_000,
  ...over,
});
const SETTINGS: MirrorSettings = {
  strategy: 'geographic',
  strategies: ['priority', 'weighted', 'least_loaded', 'lowest_latency', 'geographic'],
  region_ranges: [{ id: 1, cidr: '10.0.0.0/8', region: 'eu-west' }],
  checks: { interval_s: 10, degraded_ms: 1000, degraded_lag: 100, flap_threshold: 2, probe_timeout_ms: 5000 },
};

function render(element: ReactElement, mirrors: Mirror[], admin = true): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData([...mirrorsKey, 'list'], { mirrors });
  client.setQueryData([...mirrorsKey, 'settings'], SETTINGS);
  client.setQueryData(meKey, { user: admin ? { id: 1, username: 'root', is_admin: true, permissions: [] } : { id: 2, username: 'v', is_admin: false, permissions: ['ViewStats'] } });
  for (const m of mirrors) client.setQueryData([...mirrorsKey, 'checks', m.id, 1, 20], { total: 0, page: 1, per_page: 20, checks: [] });
  // React marks text boundaries with empty comments; the assertions read the text as a user does.
  return renderToString(createElement(QueryClientProvider, { client }, element)).replaceAll('<!-- -->', '');
}

describe('Mirrors page', () => {
  it('lists each mirror with its state (red row when unhealthy), latency, lag, held bytes and the probe error', () => {
    const html = render(
      createElement(MirrorsDashboard),
      [mirror(1), mirror(2, { state: 'unhealthy', pending_state: 'healthy', pending_count: 1, last_error: 'http://127.0.0.1:8020 is unreachable: ECONNREFUSED', lag_changes: 4, lag_seconds: 2.5 })],
    );
    expect(html).toContain('1 healthy, 0 degraded, 1 unhealthy');
    expect(html).toMatch(/data-mirror-id="2" class="bg-red-50/);
    expect(html).toMatch(/data-state="unhealthy".*Unhealthy/);
    expect(html).toContain('→ healthy (1/2)');
    expect(html).toContain('ECONNREFUSED');
    expect(html).toContain('3 ms');
    expect(html).toContain('5.0 MiB');
    expect(html).toMatch(/4 changes.*2\.50 s/);
    expect(html).toContain('Health state timeline');
    expect(html).toContain('No checks yet');
    expect(html).toContain('Selection strategy');
    expect(html).toContain('value="10.0.0.0/8"');
  });

  it('says how mirrors appear when there are none', () => {
    const html = render(createElement(MirrorsDashboard), []);
    expect(html).toContain('No mirrors yet');
    expect(html).toContain('torsh serve --role mirror');
    expect(html).not.toContain('Health state timeline');
  });
});

describe('Overview mirror-health panel', () => {
  it('summarises the mirrors for ManageMirrors holders', () => {
    const html = render(createElement(MirrorHealthPanel), [mirror(1), mirror(2, { state: 'unhealthy' })]);
    expect(html).toContain('1 of 2 serving');
    expect(html).toContain('1 unhealthy');
    expect(render(createElement(MirrorHealthPanel), [])).toContain('No mirrors yet');
  });

  it('names the permission to others', () => {
    expect(render(createElement(MirrorHealthPanel), [mirror(1)], false)).toContain('ManageMirrors');
  });
});
