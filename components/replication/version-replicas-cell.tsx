'use client';

import { formatMs } from '@/components/charts/format-units';
import { usePackageReplicas, type VersionReplicaView } from '@/lib/queries/use-replication';

/** Green: durable on a healthy node; amber: pending, or on a degraded node; red: the node is unhealthy; grey: being deleted. */
export function replicaTone(r: Pick<VersionReplicaView, 'state' | 'node_state'>): 'ok' | 'pending' | 'down' | 'deleting' {
  if (r.state === 'deleting') return 'deleting';
  if (r.node_state === 'unhealthy') return 'down';
  if (r.state === 'pending' || r.node_state === 'degraded') return 'pending';
  return 'ok';
}

const TONE_CLASSES = {
  ok: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  pending: 'bg-amber-50 text-amber-800 ring-amber-300',
  down: 'bg-red-50 text-red-800 ring-red-200',
  deleting: 'bg-slate-100 text-slate-600 ring-slate-200 line-through',
} as const;

function describe(r: VersionReplicaView): string {
  const parts = [`${r.node_id} (${r.region}, node ${r.node_state}): ${r.state}`];
  if (r.state === 'present' && r.lag_ms !== null) parts.push(`durable ${formatMs(r.lag_ms)} after publish`);
  if (r.state === 'pending' && r.lag_ms !== null) parts.push(`waiting for ${formatMs(r.lag_ms)}`);
  if (r.last_error) parts.push(`last error: ${r.last_error}`);
  return parts.join('; ');
}

/** The nodes holding one version, as small chips coloured by the replica's state; "—" when replication holds no copy of it. */
export function VersionReplicasCell({ name, version }: { name: string; version: string }) {
  // One request per package, shared by every row of the versions table.
  const replicas = usePackageReplicas(name);
  if (replicas.isPending) return <span className="text-xs text-slate-400">…</span>;
  const list = replicas.data?.versions[version] ?? [];
  if (list.length === 0) {
    return (
      <span className="text-slate-400" title={replicas.error ? `Replicas unavailable: ${replicas.error.message}` : 'No copies on replication nodes'}>
        —
      </span>
    );
  }
  return (
    <ul className="flex flex-wrap gap-1" aria-label={`Replicas of ${version}`}>
      {list.map((r) => (
        <li key={r.node_id} title={describe(r)} data-replica-state={r.state} className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ring-inset ${TONE_CLASSES[replicaTone(r)]}`}>
          {r.node_id}
          <span className="sr-only">: {r.state}</span>
        </li>
      ))}
    </ul>
  );
}
