'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { purgeEdgeAction } from '@/app/(dashboard)/cdn/actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { Edge } from '@/lib/queries/use-edges';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type Scope = 'version' | 'package' | 'all';
type Target = { name: string; version: string } | { name: string } | { all: true };
type Outcome = { edge: Edge; ok: true; purged: number; bytes: number } | { edge: Edge; ok: false; error: string };

type PurgeDialogProps = {
  /** The edge the dialog was opened from; null when closed. */
  edge: Edge | null;
  /** Every registered edge, for "on every edge". */
  edges: Edge[];
  onClose: () => void;
  onDone: () => Promise<unknown>;
};

const SCOPES: { id: Scope; label: string }[] = [
  { id: 'version', label: 'One version' },
  { id: 'package', label: 'A package (every version)' },
  { id: 'all', label: 'Everything' },
];

function describe(target: Target): string {
  if ('all' in target) return 'everything cached';
  return 'version' in target ? `${target.name}@${target.version}` : `every version of ${target.name}`;
}

/** Purge a version, a package or everything, on one edge or on all, after a confirmation step. */
export function PurgeDialog({ edge, edges, onClose, onDone }: PurgeDialogProps) {
  const [scope, setScope] = useState<Scope>('version');
  const [everyEdge, setEveryEdge] = useState(false);
  const [pendingTarget, setPendingTarget] = useState<Target | null>(null);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const groupId = useId();
  const targets = everyEdge ? edges : edge ? [edge] : [];

  const purge = useMutation({
    mutationFn: async (target: Target) => {
      const results: Outcome[] = [];
      for (const e of targets) {
        try {
          const r = await unwrapAction(purgeEdgeAction({ id: e.id, target }));
          results.push({ edge: e, ok: true, purged: r.purged, bytes: r.bytes });
        } catch (err) {
          if (targets.length === 1) throw err;
          results.push({ edge: e, ok: false, error: (err as Error).message });
        }
      }
      return results;
    },
    onSuccess: async (results) => {
      setOutcomes(results);
      await onDone();
    },
  });

  const close = () => {
    setPendingTarget(null);
    setOutcomes(null);
    setEveryEdge(false);
    purge.reset();
    onClose();
  };
  const where = everyEdge ? `every edge (${edges.length})` : (edge?.url ?? '');

  return (
    <Dialog open={edge !== null} title={outcomes ? 'Purge done' : pendingTarget ? 'Confirm the purge' : `Purge ${edge?.url ?? ''}`} onClose={close} busy={purge.isPending}>
      {outcomes ? (
        <div className="space-y-4">
          <ul className="space-y-1 text-sm" role="status">
            {outcomes.map((o) => (
              <li key={o.edge.id}>
                <span className="font-mono text-xs">{o.edge.url}</span>:{' '}
                {o.ok ? `${formatCount(o.purged)} ${o.purged === 1 ? 'entry' : 'entries'} purged (${formatBytes(o.bytes)})` : <span className="text-red-700">{o.error}</span>}
              </li>
            ))}
          </ul>
          <div className="flex justify-end">
            <Button variant="primary" onClick={close}>
              Done
            </Button>
          </div>
        </div>
      ) : pendingTarget ? (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            purge.mutate(pendingTarget);
          }}
        >
          <p className="text-sm text-slate-700">
            Purge <strong>{describe(pendingTarget)}</strong> on <strong>{where}</strong>? The next requests for it are fetched from the origin again
            {'all' in pendingTarget ? ': expect a burst of origin traffic until the cache fills.' : '.'}
          </p>
          {purge.error && <ErrorState title="Could not purge" error={purge.error} />}
          <div className="flex justify-end gap-2">
            <Button onClick={() => setPendingTarget(null)} disabled={purge.isPending}>
              Back
            </Button>
            <Button type="submit" variant="danger" disabled={purge.isPending} aria-busy={purge.isPending}>
              Purge
            </Button>
          </div>
        </form>
      ) : (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const name = String(form.get('name') ?? '').trim();
            const version = String(form.get('version') ?? '').trim();
            setPendingTarget(scope === 'all' ? { all: true } : scope === 'package' ? { name } : { name, version });
          }}
        >
          <fieldset>
            <legend id={groupId} className="text-sm font-medium text-slate-900">
              What to purge
            </legend>
            <div className="mt-2 flex flex-wrap gap-4">
              {SCOPES.map((s) => (
                <label key={s.id} className="flex items-center gap-2 text-sm text-slate-800">
                  <input type="radio" name="scope" value={s.id} checked={scope === s.id} onChange={() => setScope(s.id)} />
                  {s.label}
                </label>
              ))}
            </div>
          </fieldset>
          {scope !== 'all' && (
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label="Package" name="name" required pattern="[a-z0-9][a-z0-9._\-]{0,63}" placeholder="resnet50" errors={fieldErrors(purge.error, 'target.name')} />
              {scope === 'version' && <TextField label="Version" name="version" required placeholder="1.2.0" errors={fieldErrors(purge.error, 'target.version')} />}
            </div>
          )}
          {edges.length > 1 && (
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={everyEdge} onChange={(e) => setEveryEdge(e.target.checked)} />
              On every edge ({edges.length}), not only this one
            </label>
          )}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary">
              Continue
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
