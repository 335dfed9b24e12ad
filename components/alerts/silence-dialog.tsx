'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { silenceRuleAction } from '@/app/(dashboard)/alerts/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { AlertRule } from '@/lib/queries/use-alerts';
import { unwrapAction } from '@/lib/ui/unwrap-action';

const CHOICES = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '24 hours', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
];

/** Silence a rule's notifications for a while (it is still evaluated), or lift a silence. */
export function SilenceDialog({ rule, onClose, onDone }: { rule: AlertRule | null; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [choice, setChoice] = useState<number | null>(CHOICES[0].ms);
  const silenced = rule?.silenced_until !== null && rule?.silenced_until !== undefined && rule.silenced_until > Date.now();
  const silence = useMutation({
    mutationFn: () => unwrapAction(silenceRuleAction({ id: rule!.id, until: choice === null ? null : Date.now() + choice })),
    onSuccess: async () => {
      await onDone();
      onClose();
    },
  });
  return (
    <Dialog open={rule !== null} title={rule ? `Silence ${rule.name}` : 'Silence'} onClose={onClose} busy={silence.isPending}>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          silence.mutate();
        }}
      >
        <p className="text-sm text-slate-700">No webhook is notified while a rule is silenced; it is still evaluated and its history kept.</p>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">Silence for</legend>
          {CHOICES.map((c) => (
            <label key={c.ms} className="flex items-center gap-2 text-sm">
              <input type="radio" name="silence" checked={choice === c.ms} onChange={() => setChoice(c.ms)} />
              {c.label}
            </label>
          ))}
          {silenced && (
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="silence" checked={choice === null} onChange={() => setChoice(null)} />
              Lift the silence now
            </label>
          )}
        </fieldset>
        {silence.error && <ErrorState title="Could not silence the rule" error={silence.error} />}
        <DialogActions submitLabel={choice === null ? 'Lift silence' : 'Silence'} pending={silence.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
