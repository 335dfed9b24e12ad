'use client';

import { addMirrorAction, updateMirrorAction } from '@/app/(dashboard)/mirrors/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { Mirror } from '@/lib/queries/use-mirrors';
import { fieldErrors } from '@/lib/ui/unwrap-action';

type MirrorDialogProps = { open: boolean; mirror: Mirror | null; onClose: () => void; onSaved: () => Promise<unknown> };
type Fields = { url: string; region: string; priority: number; weight: number };

/**
 * Add a mirror, or edit one (`mirror` set). The origin probes a new URL before saving: an
 * unreachable URL or one that is not a ToRSh registry is refused, and the reason shown here.
 */
export function MirrorDialog({ open, mirror, onClose, onSaved }: MirrorDialogProps) {
  const { mutation: save, close, errorCode } = useDialogAction((input: Fields) => (mirror ? updateMirrorAction({ id: mirror.id, ...input }) : addMirrorAction(input)), {
    onDone: onSaved,
    onClose,
  });
  const errorTitle = errorCode === 'MIRROR_UNREACHABLE' || errorCode === 'NOT_A_REGISTRY' ? 'The probe failed' : 'Could not save the mirror';
  return (
    <Dialog open={open} title={mirror ? `Edit mirror ${mirror.url}` : 'Add mirror'} onClose={close} busy={save.isPending}>
      <form
        key={mirror?.id ?? 'new'}
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const f = new FormData(event.currentTarget);
          save.mutate({
            url: String(f.get('url') ?? '').trim(),
            region: String(f.get('region') ?? '').trim().toLowerCase(),
            priority: Number(f.get('priority')),
            weight: Number(f.get('weight')),
          });
        }}
      >
        <TextField
          label="Base URL"
          name="url"
          type="url"
          required
          defaultValue={mirror?.url}
          placeholder="http://mirror-eu.internal:8081"
          hint="Where the mirror answers /api/v1 (torsh serve --role mirror). Saving probes GET <url>/api/v1/health."
          errors={fieldErrors(save.error, 'url')}
        />
        <TextField
          label="Region"
          name="region"
          required
          defaultValue={mirror?.region}
          placeholder="eu-west"
          pattern="[a-z0-9][a-z0-9\-]{0,31}"
          hint="Clients in this region are sent here first by geographic selection."
          errors={fieldErrors(save.error, 'region')}
        />
        <div className="grid grid-cols-2 gap-3">
          <TextField
            label="Priority"
            name="priority"
            type="number"
            min={0}
            required
            defaultValue={mirror?.priority ?? 100}
            hint="Lower is preferred."
            errors={fieldErrors(save.error, 'priority')}
          />
          <TextField
            label="Weight"
            name="weight"
            type="number"
            min={1}
            required
            defaultValue={mirror?.weight ?? 100}
            hint="Share in weighted random selection."
            errors={fieldErrors(save.error, 'weight')}
          />
        </div>
        {save.error && <ErrorState title={errorTitle} error={save.error} />}
        <DialogActions submitLabel={save.isPending ? 'Probing…' : mirror ? 'Save' : 'Probe and add'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
