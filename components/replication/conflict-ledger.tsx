'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { resolveConflictAction } from '@/app/(dashboard)/replication/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { RelativeTime } from '@/components/ui/relative-time';
import { replicationKey, useReplicationConflicts, type ConflictState, type ConflictView } from '@/lib/queries/use-replication';
import { formatDateTime } from '@/lib/ui/format-time';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { shortDigest } from './replication-format';

const PER_PAGE = 20;
const FILTERS: { id: ConflictState | ''; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'resolved', label: 'Resolved' },
  { id: '', label: 'All' },
];
const STRATEGY_LABEL: Record<ConflictView['strategy'], string> = {
  last_write_wins: 'last write wins',
  first_write_wins: 'first write wins',
  manual: 'manual',
};

function Digest({ digest, at, winner }: { digest: string; at: number; winner: boolean }) {
  return (
    <div>
      <code className={`font-mono text-xs ${winner ? 'font-semibold text-emerald-800' : 'text-slate-700'}`} title={digest}>
        {shortDigest(digest)}…
      </code>
      {winner && <span className="ml-1 text-xs text-emerald-700">kept</span>}
      <p className="text-xs text-slate-500" title={formatDateTime(at)}>
        written <RelativeTime ms={at} />
      </p>
    </div>
  );
}

/** The conflict ledger: a node holding another digest than the catalogue for one name@version; open conflicts are resolved here. */
export function ConflictLedger() {
  // Open conflicts first: they are the ones waiting for someone.
  const [state, setState] = useState<ConflictState | ''>('open');
  const [page, setPage] = useState(1);
  const conflicts = useReplicationConflicts({ state, page, perPage: PER_PAGE });
  const [resolving, setResolving] = useState<ConflictView | null>(null);

  return (
    <section aria-labelledby="conflicts-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="conflicts-heading" className="text-lg font-semibold text-slate-900">
            Conflicts
          </h2>
          <p className="text-sm text-slate-600">
            A node that holds another digest than the catalogue for the same version. The scrub records them; the configured strategy resolves them, or an admin does here
            (manual). Every resolution is audited.
          </p>
        </div>
        <div role="group" aria-label="Conflict state" className="inline-flex rounded-md border border-slate-300 text-xs">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              aria-pressed={state === f.id}
              onClick={() => {
                setState(f.id);
                setPage(1);
              }}
              className={`px-2.5 py-1 font-medium first:rounded-l-md last:rounded-r-md ${state === f.id ? 'bg-slate-800 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
            >
              {f.label}
            </button>
          ))}
        </div>
      </div>
      {conflicts.error && !conflicts.data ? (
        <ErrorState title="Could not load the conflicts" error={conflicts.error} />
      ) : !conflicts.data ? (
        <p className="text-sm text-slate-600">Loading conflicts…</p>
      ) : conflicts.data.total === 0 ? (
        <EmptyState title={state === 'open' ? 'No open conflicts' : state === 'resolved' ? 'No resolved conflicts' : 'No conflicts'}>
          The scrub compares every node’s inventory with the catalogue on a schedule (or now, with Scrub now). A version whose digest differs on a node appears here.
        </EmptyState>
      ) : (
        <>
          <DataTable
            columns={['Version', 'Node', 'Catalogue digest', 'Node digest', 'Detected', 'Strategy', 'State', { label: 'Actions', srOnly: true }]}
          >
            {conflicts.data.conflicts.map((c) => (
              <tr key={c.id} aria-label={`Conflict ${c.name}@${c.version} on ${c.node_id}`} data-conflict-id={c.id} className={c.state === 'open' ? 'bg-amber-50/50 align-top' : 'align-top'}>
                <td className={`${TD} font-mono text-xs`}>
                  {c.name}@{c.version}
                </td>
                <td className={`${TD} font-mono text-xs`}>{c.node_id}</td>
                <td className={TD}>
                  <Digest digest={c.catalogue.digest} at={c.catalogue.written_at} winner={c.winner_digest === c.catalogue.digest} />
                </td>
                <td className={TD}>
                  <Digest digest={c.node.digest} at={c.node.written_at} winner={c.winner_digest === c.node.digest} />
                </td>
                <td className={`${TD} text-xs whitespace-nowrap`}>
                  <RelativeTime ms={c.detected_at} />
                </td>
                <td className={`${TD} text-xs`}>{STRATEGY_LABEL[c.strategy]}</td>
                <td className={`${TD} text-xs`} data-conflict-state={c.state}>
                  {c.state === 'open' ? (
                    <Badge tone="warning">Open</Badge>
                  ) : (
                    <>
                      <Badge tone="success">Resolved</Badge>
                      {c.resolved_at && (
                        <p className="mt-0.5 text-slate-500">
                          <RelativeTime ms={c.resolved_at} />
                          {c.resolved_by ? ` by ${c.resolved_by}` : ''}
                        </p>
                      )}
                    </>
                  )}
                </td>
                <td className={`${TD} text-right`}>
                  {c.state === 'open' && (
                    <Button size="sm" variant="primary" onClick={() => setResolving(c)} aria-label={`Resolve conflict ${c.name}@${c.version} on ${c.node_id}`}>
                      Resolve
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination page={page} perPage={PER_PAGE} total={conflicts.data.total} shown={conflicts.data.conflicts.length} onPageChange={setPage} />
        </>
      )}
      <ResolveDialog key={resolving?.id ?? 'none'} conflict={resolving} onClose={() => setResolving(null)} />
    </section>
  );
}

/** Pick the digest to keep; the other copy is overwritten on the node (or in the catalogue) by the resolution. */
function ResolveDialog({ conflict, onClose }: { conflict: ConflictView | null; onClose: () => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [winner, setWinner] = useState<string | null>(conflict?.catalogue.digest ?? null);
  const resolve = useMutation({
    mutationFn: (input: { id: number; winner_digest: string }) => unwrapAction(resolveConflictAction(input)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: replicationKey });
      onClose();
    },
  });
  const choices = conflict
    ? [
        { digest: conflict.catalogue.digest, label: 'The catalogue’s digest', at: conflict.catalogue.written_at, help: 'the node’s copy is replaced by the catalogue’s' },
        { digest: conflict.node.digest, label: `Node ${conflict.node_id}’s digest`, at: conflict.node.written_at, help: 'the node’s bytes become this version’s (they must be a valid package for it); the catalogue and the other nodes take them' },
      ]
    : [];
  return (
    <ConfirmDialog
      open={conflict !== null}
      title={conflict ? `Resolve conflict on ${conflict.name}@${conflict.version}` : 'Resolve conflict'}
      confirmLabel="Resolve conflict"
      pending={resolve.isPending}
      error={resolve.error}
      errorTitle="Could not resolve the conflict"
      onConfirm={() => conflict && winner && resolve.mutate({ id: conflict.id, winner_digest: winner })}
      onClose={() => {
        resolve.reset();
        onClose();
      }}
    >
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-900">Which copy is right?</legend>
        {choices.map((c) => (
          <label key={c.digest} htmlFor={`${id}-${c.digest}`} className="flex cursor-pointer items-start gap-2 rounded-md border border-slate-200 p-2 hover:bg-slate-50">
            <input id={`${id}-${c.digest}`} type="radio" name="winner" value={c.digest} checked={winner === c.digest} onChange={() => setWinner(c.digest)} className="mt-1" />
            <span>
              <span className="block font-medium text-slate-900">{c.label}</span>
              <code className="block font-mono text-xs break-all text-slate-700">{c.digest}</code>
              <span className="block text-xs text-slate-500">
                written {formatDateTime(c.at)}: {c.help}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <p>This cannot be undone: the copy not chosen is overwritten.</p>
    </ConfirmDialog>
  );
}
