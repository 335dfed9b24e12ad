'use client';

import { registerEdgeAction, updateEdgeAction } from '@/app/(dashboard)/cdn/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { Edge } from '@/lib/queries/use-edges';
import { fieldErrors } from '@/lib/ui/unwrap-action';

type EdgeFormDialogProps = {
  /** 'new' to register one, an edge to edit it, null when closed. */
  edge: Edge | 'new' | null;
  onClose: () => void;
  onSaved: () => Promise<unknown>;
};

/** Register or edit an edge; the origin probes it before saving and says why it refuses one. */
export function EdgeFormDialog({ edge, onClose, onSaved }: EdgeFormDialogProps) {
  const editing = edge !== null && edge !== 'new' ? edge : null;
  const { mutation: save, close } = useDialogAction(
    (input: { url: string; region: string; provider: string; purge_token: string }) => (editing ? updateEdgeAction({ id: editing.id, ...input }) : registerEdgeAction(input)),
    { onDone: onSaved, onClose },
  );
  return (
    <Dialog open={edge !== null} title={editing ? `Edit edge ${editing.url}` : 'Register edge'} onClose={close} busy={save.isPending}>
      <form
        key={editing?.id ?? 'new'}
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          const text = (name: string) => String(form.get(name) ?? '').trim();
          save.mutate({ url: text('url'), region: text('region'), provider: text('provider'), purge_token: String(form.get('purge_token') ?? '') });
        }}
      >
        <TextField
          label="URL"
          name="url"
          type="url"
          required
          defaultValue={editing?.url}
          placeholder="http://edge-eu.example:8081"
          hint="Where this origin reaches the edge (torsh serve --role edge). It is probed before it is saved."
          errors={fieldErrors(save.error, 'url')}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Region"
            name="region"
            required
            defaultValue={editing?.region}
            placeholder="eu-west"
            pattern="[a-z0-9][a-z0-9\-]{0,31}"
            hint="Lowercase letters, digits and -"
            errors={fieldErrors(save.error, 'region')}
          />
          <TextField
            label="Provider"
            name="provider"
            defaultValue={editing?.provider ?? 'torsh-edge'}
            maxLength={40}
            placeholder="torsh-edge, cloudflare, fastly…"
            hint="A label for you"
            errors={fieldErrors(save.error, 'provider')}
          />
        </div>
        <TextField
          label="Purge token"
          name="purge_token"
          type="password"
          required={!editing}
          autoComplete="off"
          placeholder={editing ? 'set (leave empty to keep it)' : ''}
          hint="The edge's --purge-token (TORSH_PURGE_TOKEN). It is checked against the edge, stored for purges and never shown again."
          errors={fieldErrors(save.error, 'purge_token')}
        />
        {save.error && <ErrorState title={editing ? 'Could not save the edge' : 'Could not register the edge'} error={save.error} />}
        <DialogActions submitLabel={editing ? 'Save' : 'Register edge'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
