/**
 * The replication views render (server-side, with the queries' data in place): units, state
 * colours, worst-first order, empty states and permission notes.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { meKey } from '@/lib/queries/use-me';
import { replicationKey, type NodeView, type ReplicationStatistics, type VersionReplicaView } from '@/lib/queries/use-replication';
import { NodesTable } from './nodes-table';
import { backendSummary, backlogText, byLagDesc, usageText, windowLabel } from './replication-format';
import { ReplicationLagPanel } from './replication-lag-panel';
import { ReplicationStatsTiles } from './replication-stats-tiles';
import { VersionReplicasCell } from './version-replicas-cell';

const NOW = Date.now();
const MIB = 1024 * 1024;
const node = (id: string, over: Partial<NodeView> = {}): NodeView => ({
  id,
  region: 'eu-west',
  priority: 100,
  capacity_bytes: 10 * 1024 * MIB,
  used_bytes: 5 * MIB,
  backend: { type: 'local', path: `/srv/${id}` },
  state: 'healthy',
  last_check_at: NOW - 3_000,
  last_latency_ms: 4.2,
  last_error: null,
  backlog_ops: 0,
  backlog_bytes: 0,
  lag_ms: 0,
  created_at: NOW - 3_600_000,
  ...over,
});
const STATS: ReplicationStatistics = {
  total_nodes: 3,
  healthy_nodes: 2,
  total_replicas: 40,
  successful_operations: 120,
  failed_operations: 3,
  active_conflicts: 1,
  average_lag_ms: 1_250,
  bandwidth_bytes_per_sec: 3 * MIB,
  from: NOW - 86_400_000,
  to: NOW,
};

type User = { permissions: string[]; is_admin?: boolean } | null;
function render(element: ReactElement, data: { user?: User; nodes?: NodeView[]; stats?: ReplicationStatistics; replicas?: [string, string, VersionReplicaView[]] } = {}): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const user = data.user === undefined ? { permissions: [], is_admin: true } : data.user;
  client.setQueryData(meKey, { user: user && { id: 1, username: 'u', is_admin: false, ...user } });
  if (data.nodes) client.setQueryData([...replicationKey, 'nodes'], { nodes: data.nodes });
  if (data.stats) client.setQueryData([...replicationKey, 'stats'], data.stats);
  if (data.replicas) {
    const [name, version, replicas] = data.replicas;
    client.setQueryData([...replicationKey, 'replicas', name], { name, versions: replicas.length > 0 ? { [version]: replicas } : {} });
  }
  // React marks text boundaries with empty comments; the assertions read the text as a user does.
  return renderToString(createElement(QueryClientProvider, { client }, element)).replaceAll('<!-- -->', '');
}

describe('replication formatting', () => {
  it('names backends without secrets, and states usage, backlog and the window in units', () => {
    expect(backendSummary({ type: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'b', region: 'us-east-1', force_path_style: true, prefix: 'p/', access_key_id: 'AKIA' }))
      .toEqual({ label: 's3://b/p/', detail: 'http://127.0.0.1:9000 · us-east-1 · path-style' });
    expect(backendSummary({ type: 'azure', container: 'c', prefix: '', account: 'devstoreaccount1', blob_endpoint: null }).label).toBe('azure://devstoreaccount1/c/');
    expect(usageText(5 * MIB, 10 * 1024 * MIB)).toBe('5.0 MiB of 10 GiB');
    expect(usageText(512, null)).toBe('512 B (no limit)');
    expect(backlogText(0, 0)).toBe('caught up');
    expect(backlogText(3, 1.5 * MIB)).toBe('3 ops · 1.5 MiB');
    expect(windowLabel(0, 86_400_000)).toBe('last 24 h');
    expect(windowLabel(0, 90 * 60_000)).toBe('last 90 min');
  });

  it('orders nodes worst lag first, unmeasured last', () => {
    const order = byLagDesc([node('a', { lag_ms: null }), node('b', { lag_ms: 20 }), node('c', { lag_ms: 9_000 }), node('d', { lag_ms: 20, backlog_ops: 2 })]);
    expect(order.map((n) => n.id)).toEqual(['c', 'd', 'b', 'a']);
  });
});

describe('nodes table', () => {
  it('shows state (red row when unhealthy), used / capacity with a bar, lag in s, backlog in bytes, latency and the check error', () => {
    const html = render(
      createElement(NodesTable, {
        nodes: [
          node('eu-1'),
          node('us-1', { state: 'unhealthy', lag_ms: 12_500, backlog_ops: 4, backlog_bytes: 3 * MIB, last_error: 'probe write failed: EACCES', capacity_bytes: null }),
        ],
        onRemove: () => {},
      }),
    );
    expect(html).toMatch(/data-node-id="us-1" class="bg-red-50/);
    expect(html).toMatch(/data-state="unhealthy".*Unhealthy/);
    expect(html).toContain('5.0 MiB of 10 GiB');
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('12.5 s');
    expect(html).toContain('4 ops · 3.0 MiB');
    expect(html).toContain('4 ms');
    expect(html).toContain('EACCES');
    expect(html).toContain('/srv/eu-1');
  });
});

describe('statistics tiles', () => {
  it('shows the ReplicationStatistics fields with units', () => {
    const html = render(createElement(ReplicationStatsTiles, { stats: STATS }));
    expect(html).toContain('2 / 3');
    expect(html).toContain('1.25 s');
    expect(html).toContain('3.0 MiB/s');
    expect(html).toContain('3 failed, last 24 h');
  });
});

describe('Overview replication-lag panel', () => {
  it('lists nodes worst first for ManageReplication holders', () => {
    const html = render(createElement(ReplicationLagPanel), { nodes: [node('fast', { lag_ms: 0 }), node('slow', { lag_ms: 65_000, backlog_ops: 2, backlog_bytes: MIB })] });
    expect(html.indexOf('data-node-lag="slow"')).toBeLessThan(html.indexOf('data-node-lag="fast"'));
    expect(html).toContain('1 of 2 nodes behind');
    expect(html).toContain('1.1 min');
  });

  it('says how nodes appear when there are none, linking to the page', () => {
    const html = render(createElement(ReplicationLagPanel), { nodes: [] });
    expect(html).toContain('No replication nodes');
    expect(html).toContain('href="/replication"');
  });

  it('shows the statistics to ViewStats holders, and names the permissions to others', () => {
    expect(render(createElement(ReplicationLagPanel), { user: { permissions: ['ViewStats'] }, stats: STATS })).toContain('2 of 3');
    expect(render(createElement(ReplicationLagPanel), { user: { permissions: [] } })).toContain('ViewStats or ManageReplication');
  });
});

describe('version replicas cell', () => {
  const replica = (node_id: string, over: Partial<VersionReplicaView> = {}): VersionReplicaView => ({
    node_id,
    region: 'eu',
    node_state: 'healthy',
    state: 'present',
    digest: 'sha256:aa',
    durable_at: NOW,
    lag_ms: 40,
    last_error: null,
    ...over,
  });

  it('names each node with its state colour', () => {
    const html = render(createElement(VersionReplicasCell, { name: 'm', version: '1.0.0' }), {
      replicas: ['m', '1.0.0', [replica('a'), replica('b', { state: 'pending' }), replica('c', { node_state: 'unhealthy' })]],
    });
    expect(html).toMatch(/data-replica-state="present" class="[^"]*bg-emerald-50[^"]*">a/);
    expect(html).toMatch(/data-replica-state="pending" class="[^"]*bg-amber-50[^"]*">b/);
    expect(html).toMatch(/class="[^"]*bg-red-50[^"]*">c/);
    expect(html).toContain('durable 40 ms after publish');
  });

  it('is a dash when no node holds the version', () => {
    expect(render(createElement(VersionReplicasCell, { name: 'm', version: '2.0.0' }), { replicas: ['m', '2.0.0', []] })).toContain('—');
  });
});
