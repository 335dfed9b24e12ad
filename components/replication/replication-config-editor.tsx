'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { updateReplicationConfigAction } from '@/app/(dashboard)/replication/actions';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { CONFLICT_STRATEGIES, CONSISTENCY_LEVELS, type ConflictStrategy, type Consistency, type ReplicationConfig } from '@/lib/engine/replication/types';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

const CONSISTENCY_HELP: Record<Consistency, string> = {
  eventual: 'Eventual: a publish is acknowledged once the primary holds it; replicas follow by jobs.',
  quorum: 'Quorum: acknowledged once a majority of the factor holds a durable, verified copy; the rest follow by jobs.',
  strong: 'Strong: acknowledged only when every replica is durable; otherwise the publish fails and nothing is visible.',
  causal: 'Causal: like eventual, but no node exposes a version before the versions of the package published before it.',
};
const STRATEGY_HELP: Record<ConflictStrategy, string> = {
  last_write_wins: 'Last write wins: the copy written last is kept.',
  first_write_wins: 'First write wins: the copy written first is kept.',
  manual: 'Manual: conflicts wait in the ledger below until an admin picks the digest to keep.',
};
const label = (s: string) => s.replaceAll('_', ' ');

type Props = { config: ReplicationConfig; onSaved: () => Promise<unknown> };

/** ReplicationConfig: consistency, factor, failover, sync interval, conflict strategy; the warnings the save returns are shown. */
export function ReplicationConfigEditor({ config, onSaved }: Props) {
  const id = useId();
  const [draft, setDraft] = useState<ReplicationConfig>(config);
  const save = useMutation({
    mutationFn: (input: ReplicationConfig) => unwrapAction(updateReplicationConfigAction(input)),
    onSuccess: onSaved,
  });
  const set = (patch: Partial<ReplicationConfig>) => setDraft({ ...draft, ...patch });
  const changed = JSON.stringify(draft) !== JSON.stringify(config);
  return (
    <form
      className="space-y-4"
      aria-label="Replication settings"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(draft);
      }}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={`${id}-consistency`} className="block text-sm font-medium text-slate-900">
            Consistency
          </label>
          <select id={`${id}-consistency`} value={draft.consistency} onChange={(e) => set({ consistency: e.target.value as Consistency })} className={`mt-1.5 ${INPUT_CLASSES}`}>
            {CONSISTENCY_LEVELS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-slate-600">{CONSISTENCY_HELP[draft.consistency]}</p>
        </div>
        <TextField
          label="Replication factor"
          type="number"
          min={0}
          max={16}
          required
          value={draft.replication_factor}
          onChange={(e) => set({ replication_factor: Number(e.target.value) })}
          hint="Copies on nodes besides the primary store; 0 turns replication off."
          errors={fieldErrors(save.error, 'replication_factor')}
        />
        <div>
          <label htmlFor={`${id}-strategy`} className="block text-sm font-medium text-slate-900">
            Conflict strategy
          </label>
          <select
            id={`${id}-strategy`}
            value={draft.conflict_strategy}
            onChange={(e) => set({ conflict_strategy: e.target.value as ConflictStrategy })}
            className={`mt-1.5 ${INPUT_CLASSES}`}
          >
            {CONFLICT_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
          <p className="mt-1 text-xs text-slate-600">{STRATEGY_HELP[draft.conflict_strategy]}</p>
        </div>
        <TextField
          label="Sync interval (s)"
          type="number"
          min={1}
          required
          value={draft.sync_interval_secs}
          onChange={(e) => set({ sync_interval_secs: Number(e.target.value) })}
          hint="How often the sync job re-plans what is behind and re-enqueues lost work."
          errors={fieldErrors(save.error, 'sync_interval_secs')}
        />
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" checked={draft.auto_failover} onChange={(e) => set({ auto_failover: e.target.checked })} className="mt-0.5" />
        <span>
          <span className="font-medium">Automatic failover</span>
          <span className="block text-xs text-slate-600">Serve a download from a healthy replica when the primary copy is missing or unreadable, verified against the digest, and repair the primary.</span>
        </span>
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending || !changed} aria-busy={save.isPending}>
          Save settings
        </Button>
        {changed && (
          <Button onClick={() => setDraft(config)} disabled={save.isPending}>
            Discard changes
          </Button>
        )}
        {save.isSuccess && !changed && save.data.warnings.length === 0 && (
          <p role="status" className="text-xs text-emerald-700">
            Saved.
          </p>
        )}
      </div>
      {save.isSuccess && save.data.warnings.length > 0 && (
        <div role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium">Saved, with warnings:</p>
          <ul className="mt-1 list-disc pl-5">
            {save.data.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {save.error && <ErrorState title="Could not save the replication settings" error={save.error} />}
    </form>
  );
}
