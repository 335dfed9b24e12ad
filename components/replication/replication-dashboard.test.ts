/** The Replication page renders (server-side, with the queries' data in place): nodes, statistics, settings, ledger, jobs. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLICATION_CONFIG } from '@/lib/engine/replication/types';
import { jobsKey } from '@/lib/queries/use-jobs';
import { meKey } from '@/lib/queries/use-me';
import { replicationKey, type ConflictView, type NodeView, type ScrubReport } from '@/lib/queries/use-replication';
import { ReplicationDashboard } from './replication-dashboard';
import { REPLICATION_KINDS } from './replication-jobs';
import { scrubSummary } from './scrub-now';

const NOW = Date.now();
const HEX_A = 'a'.repeat(64);
const HEX_B = 'b'.repeat(64);
const node: NodeView = {
  id: 'eu-1',
  region: 'eu-west',
  priority: 100,
  capacity_bytes: null,
  used_bytes: 2048,
  backend: { type: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'replica', region: 'us-east-1', force_path_style: true, prefix: '', access_key_id: 'AKIA' },
  state: 'degraded',
  last_check_at: NOW - 2_000,
  last_latency_ms: 1_500,
  last_error: null,
  backlog_ops: 1,
  backlog_bytes: 4096,
  lag_ms: 2_000,
  created_at: NOW - 60_000,
};
const conflict: ConflictView = {
  id: 7,
  name: 'model',
  version: '1.0.0',
  node_id: 'eu-1',
  catalogue: { digest: HEX_A, written_at: NOW - 60_000 },
  node: { digest: HEX_B, written_at: NOW - 30_000 },
  detected_at: NOW - 5_000,
  strategy: 'manual',
  state: 'open',
  winner_digest: null,
  resolved_at: null,
  resolved_by: null,
};

function render(nodes: NodeView[], conflicts: ConflictView[]): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(meKey, { user: { id: 1, username: 'root', is_admin: true, permissions: [] } });
  client.setQueryData([...replicationKey, 'nodes'], { nodes });
  client.setQueryData([...replicationKey, 'config'], { config: { ...DEFAULT_REPLICATION_CONFIG, replication_factor: 2, conflict_strategy: 'manual' }, nodes });
  client.setQueryData([...replicationKey, 'conflicts', { state: 'open', page: 1, perPage: 20 }], { total: conflicts.length, page: 1, per_page: 20, conflicts });
  client.setQueryData([...jobsKey, 'list', { state: '', kind: REPLICATION_KINDS, page: 1, perPage: 10 }], { total: 0, page: 1, per_page: 10, jobs: [] });
  return renderToString(createElement(QueryClientProvider, { client }, createElement(ReplicationDashboard))).replaceAll('<!-- -->', '');
}

describe('Replication page', () => {
  it('shows the nodes with backend (no secrets), state, lag and backlog; the settings; an open conflict with both digests and Resolve', () => {
    const html = render([node], [conflict]);
    expect(html).toContain('0 healthy, 1 degraded, 0 unhealthy');
    expect(html).toContain('each version is copied to 2 nodes');
    expect(html).toContain('s3://replica/');
    expect(html).toMatch(/data-state="degraded"/);
    expect(html).toContain('2.00 s');
    expect(html).toContain('1 op · 4.0 KiB');
    expect(html).toContain('2.0 KiB (no limit)');
    expect(html).toMatch(/<button[^>]*>Scrub now<\/button>/);
    expect(html).toContain('Replication lag per node');
    expect(html).toContain('Replication factor');
    expect(html).toContain('Manual: conflicts wait in the ledger');
    expect(html).toContain(`${HEX_A.slice(0, 12)}…`);
    expect(html).toContain(`${HEX_B.slice(0, 12)}…`);
    expect(html).toContain('Resolve conflict model@1.0.0 on eu-1');
    expect(html).toContain('No replication jobs yet');
  });

  it('says how nodes and conflicts appear when there are none', () => {
    const html = render([], []);
    expect(html).toContain('No replication nodes yet');
    expect(html).toContain('No open conflicts');
    expect(html).not.toContain('Replication lag per node');
    expect(html).not.toMatch(/<button[^>]*>Scrub now<\/button>/);
  });
});

describe('scrub report summary', () => {
  it('adds up what the scrub found and repaired over the nodes and the primary store', () => {
    const nodeReport = (id: string, over: Partial<ScrubReport['nodes'][number]> = {}) => ({ id, checked: 10, missing: 1, mismatched: 0, extra: 2, conflicts: 1, repaired: 1, errors: [], ...over });
    const report: ScrubReport = {
      started_at: NOW - 1_000,
      finished_at: NOW,
      primary: { checked: 20, missing: 1, repaired: 1, errors: [] },
      nodes: [nodeReport('a'), nodeReport('b', { mismatched: 1, errors: ['node b: timeout'] })],
    };
    expect(scrubSummary(report)).toBe('20 checked on 2 nodes · 3 missing · 1 damaged · 4 extra · 2 conflicts · 3 repaired · 1 error');
  });
});
