'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type TextareaHTMLAttributes } from 'react';
import { updatePackageAction } from '@/app/(dashboard)/packages/[name]/actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { MAX_DESCRIPTION_CHARS, MAX_HOMEPAGE_CHARS } from '@/lib/engine/registry/package-edit-limits';
import type { PackageDetail } from '@/lib/queries/api-types';
import { packageKey } from '@/lib/queries/use-package';
import { searchKey } from '@/lib/queries/use-search-packages';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type Draft = { description: string; tags: string; homepage: string; readme: string };

const draftOf = (pkg: PackageDetail): Draft => ({
  description: pkg.description ?? '',
  tags: pkg.tags.join(', '),
  homepage: pkg.homepage ?? '',
  readme: pkg.readme ?? '',
});

const tagList = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Only the fields the user changed are sent: an untouched description keeps following the
 * manifests. An emptied description or tag list hands the field back to the manifests.
 */
function changes(before: Draft, after: Draft) {
  const edits: { description?: string | null; tags?: string[] | null; homepage?: string | null; readme?: string | null } = {};
  if (after.description !== before.description) edits.description = after.description.trim() || null;
  if (after.tags !== before.tags) edits.tags = tagList(after.tags).length > 0 ? tagList(after.tags) : null;
  if (after.homepage !== before.homepage) edits.homepage = after.homepage.trim() || null;
  if (after.readme !== before.readme) edits.readme = after.readme || null;
  return edits;
}

/** "Edit" on the package page (holders of Update): description, tags, homepage and README. */
export function EditPackageButton({ pkg }: { pkg: PackageDetail }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Edit</Button>
      {open && <EditPackageDialog pkg={pkg} onClose={() => setOpen(false)} />}
    </>
  );
}

function EditPackageDialog({ pkg, onClose }: { pkg: PackageDetail; onClose: () => void }) {
  const initial = draftOf(pkg);
  const [draft, setDraft] = useState(initial);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => unwrapAction(updatePackageAction({ name: pkg.name, edits: changes(initial, draft) })),
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: packageKey(pkg.name) }), queryClient.invalidateQueries({ queryKey: searchKey })]);
      onClose();
    },
  });
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft({ ...draft, [field]: event.target.value });
  const unchanged = Object.keys(changes(initial, draft)).length === 0;

  return (
    <Dialog open title={`Edit ${pkg.name}`} onClose={onClose} busy={save.isPending}>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <TextArea
          label="Description"
          hint={pkg.edited.description ? 'Set here: later publishes keep it. Empty it to follow the manifest again.' : 'From the latest manifest until you change it here.'}
          rows={3}
          maxLength={MAX_DESCRIPTION_CHARS}
          value={draft.description}
          onChange={set('description')}
          errors={fieldErrors(save.error, 'edits.description')}
        />
        <TextField
          label="Tags"
          hint="Comma separated, e.g. vision, classification. Empty: the manifest’s tags."
          value={draft.tags}
          onChange={set('tags')}
          errors={fieldErrors(save.error, 'edits.tags')}
        />
        <TextField label="Homepage" type="url" placeholder="https://" maxLength={MAX_HOMEPAGE_CHARS} value={draft.homepage} onChange={set('homepage')} errors={fieldErrors(save.error, 'edits.homepage')} />
        <TextArea
          label="README"
          hint="Markdown (GitHub flavour). Raw HTML is not rendered."
          rows={10}
          className="font-mono"
          value={draft.readme}
          onChange={set('readme')}
          errors={fieldErrors(save.error, 'edits.readme')}
        />
        {save.error && <ErrorState title="Could not save the package" error={save.error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={unchanged || save.isPending} aria-busy={save.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & { label: string; hint?: string; errors?: string[] };

function TextArea({ label, hint, errors, className = '', ...props }: TextAreaProps) {
  const id = useId();
  const invalid = !!errors && errors.length > 0;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        aria-describedby={[hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
        aria-invalid={invalid || undefined}
        className={`mt-1.5 w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none aria-[invalid=true]:border-red-400 ${className}`}
        {...props}
      />
      {invalid && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}
