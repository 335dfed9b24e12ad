'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { removeNodeAction } from '@/app/(dashboard)/replication/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { replicationKey, useReplicationConfig, useReplicationNodes, useReplicationStats, type NodeView } from '@/lib/queries/use-replication';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { AddNodeDialog } from './add-node-dialog';
import { ConflictLedger } from './conflict-ledger';
import { NodesTable } from './nodes-table';
import { ReplicationCharts } from './replication-charts';
import { ReplicationConfigEditor } from './replication-config-editor';
import { ReplicationJobs } from './replication-jobs';
import { ReplicationStatsTiles } from './replication-stats-tiles';
import { ScrubNow } from './scrub-now';

/** The Replication page: statistics, nodes (add / remove), lag charts, settings, conflicts, jobs. */
export function ReplicationDashboard() {
  const nodes = useReplicationNodes();
  const stats = useReplicationStats();
  const config = useReplicationConfig();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: replicationKey });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<NodeView | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrapAction(removeNodeAction({ id })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  if (nodes.isPending) return <TableSkeleton label="Loading replication nodes…" columns={8} />;
  if (!nodes.data) return <QueryErrorState error={nodes.error} title="Could not load replication nodes" forbidden="You need ManageReplication to manage replication" />;
  const list = nodes.data.nodes;
  const counts = { healthy: 0, degraded: 0, unhealthy: 0 };
  for (const n of list) counts[n.state] += 1;
  const factor = config.data?.config.replication_factor;

  return (
    <div className="space-y-8">
      {stats.data && <ReplicationStatsTiles stats={stats.data} />}

      <section aria-labelledby="nodes-heading" className="space-y-3">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="nodes-heading" className="text-lg font-semibold text-slate-900">
              Nodes
            </h2>
            <p className="text-sm text-slate-600" aria-live="polite">
              {list.length === 0 ? 'None registered.' : `${counts.healthy} healthy, ${counts.degraded} degraded, ${counts.unhealthy} unhealthy`}
              {factor !== undefined && (factor === 0 ? ' · replication is off (factor 0)' : ` · each version is copied to ${factor} ${factor === 1 ? 'node' : 'nodes'}`)}
            </p>
          </div>
          <div className="flex items-start gap-2">
            {list.length > 0 && <ScrubNow />}
            <Button variant="primary" onClick={() => setAdding(true)}>
              Add node
            </Button>
          </div>
        </div>
        {list.length === 0 ? (
          <EmptyState
            title="No replication nodes yet"
            action={
              <Button variant="primary" onClick={() => setAdding(true)}>
                Add node
              </Button>
            }
          >
            A node is a local folder, an S3 bucket or an Azure Blob container that holds copies of every package. Add one (the origin probes it first), then set a
            replication factor below: each node’s state, usage, lag and backlog appear here after its first check.
          </EmptyState>
        ) : (
          <NodesTable nodes={list} onRemove={setRemoving} />
        )}
      </section>

      {list.length > 0 && <ReplicationCharts nodes={list} />}

      {config.data && (
        <section aria-labelledby="settings-heading" className="space-y-3">
          <h2 id="settings-heading" className="text-lg font-semibold text-slate-900">
            Settings
          </h2>
          <Card>
            <div className="p-4">
              <ReplicationConfigEditor config={config.data.config} onSaved={invalidate} />
            </div>
          </Card>
        </section>
      )}

      <ConflictLedger />

      <ReplicationJobs />

      <AddNodeDialog open={adding} onClose={() => setAdding(false)} onSaved={invalidate} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove node ${removing?.id ?? ''}?`}
        confirmLabel="Remove node"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove the node"
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
      >
        <p>The registry stops writing to and reading from it and forgets its replicas. The objects already in its backend are left in place.</p>
        <p>Versions it held count one copy less: the sync job places them on other nodes when the replication factor asks for it.</p>
      </ConfirmDialog>
    </div>
  );
}
