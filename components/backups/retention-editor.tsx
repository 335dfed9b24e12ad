'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { previewRetentionAction, startForgetAction, startPruneAction, updateBackupRepositoryAction } from '@/app/(dashboard)/backups/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { backupsKey, type RepositoryView, type RetentionPolicyView } from '@/lib/queries/use-backups';
import { formatBytes } from '@/lib/ui/format-bytes';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';
import { isEmptyPolicy, parseTags, RETENTION_FIELDS, retentionFromForm, retentionToForm, type RetentionForm } from './backup-format';
import { RetentionPreview } from './retention-preview';
import { WatchedJob, type StartedJob } from './watched-job';

type Props = { repository: RepositoryView; onSaved: () => Promise<unknown> };

/** Waits until the value stops changing for `ms` (the preview is asked once per pause in typing). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * Retention and schedule of one repository: the policy fields with a live dry-run (which snapshots
 * go, why the others stay, the bytes prune really frees), Save, and Apply now (forget + prune).
 */
export function RetentionEditor({ repository, onSaved }: Props) {
  const [form, setForm] = useState<RetentionForm>(() => retentionToForm(repository.retention));
  const [cron, setCron] = useState(repository.schedule_cron ?? '');
  const [scheduleTags, setScheduleTags] = useState(repository.schedule_tags.join(', '));
  const [applying, setApplying] = useState(false);
  const [job, setJob] = useState<StartedJob | null>(null);
  const policy = retentionFromForm(form);
  const settled = useSettled(policy, 400);
  const settledKey = JSON.stringify(settled);
  const preview = useQuery({
    queryKey: [...backupsKey, 'retention-preview', repository.id, settledKey, repository.snapshot_count],
    queryFn: () => unwrapAction(previewRetentionAction({ id: repository.id, policy: JSON.parse(settledKey) as RetentionPolicyView })),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const save = useMutation({
    mutationFn: () =>
      unwrapAction(
        updateBackupRepositoryAction({
          id: repository.id,
          retention: isEmptyPolicy(policy) ? null : policy,
          schedule_cron: cron.trim() || null,
          schedule_tags: parseTags(scheduleTags),
        }),
      ),
    onSuccess: onSaved,
  });
  const forget = useMutation({
    mutationFn: () => unwrapAction(startForgetAction({ id: repository.id, policy, prune: true })),
    onSuccess: (data) => {
      setJob({ id: data.job.id, kind: data.job.kind, label: 'Forget and prune' });
      setApplying(false);
    },
  });
  const prune = useMutation({
    mutationFn: () => unwrapAction(startPruneAction({ id: repository.id })),
    onSuccess: (data) => setJob({ id: data.job.id, kind: data.job.kind, label: 'Prune' }),
  });
  const set = (patch: Partial<RetentionForm>) => {
    save.reset();
    setForm({ ...form, ...patch });
  };
  const errs = (field: string) => fieldErrors(save.error, `retention.${field}`) ?? fieldErrors(preview.error, `policy.${field}`);
  const plan = preview.data;
  const upToDate = preview.isSuccess && !preview.isPlaceholderData && settledKey === JSON.stringify(policy);
  return (
    <section aria-labelledby="retention-heading" className="space-y-3">
      <div>
        <h3 id="retention-heading" className="text-base font-semibold text-slate-900">
          Retention and schedule
        </h3>
        <p className="max-w-3xl text-sm text-slate-600">
          A snapshot is kept when any rule keeps it; recovery points are always kept. Daily, weekly, monthly and yearly keep the last snapshot of each of the N most recent periods that
          have one (grandfather-father-son). An empty policy keeps everything.
        </p>
      </div>
      <form
        aria-label="Retention policy"
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
          {RETENTION_FIELDS.map((f) => (
            <TextField
              key={f.key}
              label={f.label}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              placeholder="—"
              value={form[f.key]}
              onChange={(e) => set({ [f.key]: e.target.value })}
              title={f.hint}
              errors={errs(f.api)}
            />
          ))}
          <TextField label="Keep within" placeholder="30d" value={form.keepWithin} onChange={(e) => set({ keepWithin: e.target.value })} title="Every snapshot younger than this: 36h, 7d, 2w, 6m, 1y" errors={errs('keep_within')} />
        </div>
        <TextField label="Keep tags" placeholder="release, pre-upgrade" hint="Snapshots with any of these tags are kept." value={form.keepTags} onChange={(e) => set({ keepTags: e.target.value })} errors={errs('keep_tags')} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Backup schedule (cron, UTC)"
            placeholder="0 3 * * *"
            hint="Empty: backups run only on demand. A scheduled backup is followed by forget and prune with this policy."
            value={cron}
            onChange={(e) => {
              save.reset();
              setCron(e.target.value);
            }}
            errors={fieldErrors(save.error, 'schedule_cron')}
          />
          <TextField
            label="Tags of scheduled backups"
            placeholder="nightly"
            value={scheduleTags}
            onChange={(e) => {
              save.reset();
              setScheduleTags(e.target.value);
            }}
            errors={fieldErrors(save.error, 'schedule_tags')}
          />
        </div>
        <div aria-live="polite" className="space-y-2" data-preview-state={upToDate ? 'ready' : preview.isFetching ? 'loading' : 'stale'}>
          <h4 className="text-sm font-semibold text-slate-900">Dry run {preview.isFetching && <span className="font-normal text-slate-500">· updating…</span>}</h4>
          {preview.error ? (
            <ErrorState title="The policy cannot be previewed" error={preview.error} />
          ) : plan ? (
            <RetentionPreview plan={plan} />
          ) : (
            <p className="text-sm text-slate-600">Computing which snapshots this policy keeps…</p>
          )}
        </div>
        {save.error && <ErrorState title="Could not save the retention and schedule" error={save.error} />}
        <div className="flex flex-wrap items-center justify-end gap-2">
          {save.isSuccess && (
            <p role="status" className="mr-auto text-sm text-emerald-700">
              Saved.
            </p>
          )}
          <Button onClick={() => prune.mutate()} disabled={prune.isPending}>
            Prune only
          </Button>
          <Button variant="danger-outline" onClick={() => setApplying(true)} disabled={isEmptyPolicy(policy) || !plan || plan.remove.length === 0}>
            Apply now…
          </Button>
          <Button type="submit" variant="primary" disabled={save.isPending} aria-busy={save.isPending}>
            Save policy and schedule
          </Button>
        </div>
        {prune.error && <ErrorState title="Could not start the prune" error={prune.error} />}
      </form>
      {job && <WatchedJob key={job.id} job={job} />}
      <ConfirmDialog
        open={applying}
        title={`Forget ${plan?.remove.length ?? 0} snapshots in ${repository.id}?`}
        confirmLabel="Forget and prune"
        pending={forget.isPending}
        error={forget.error}
        errorTitle="Could not start forget and prune"
        onConfirm={() => forget.mutate()}
        onClose={() => {
          forget.reset();
          setApplying(false);
        }}
      >
        <p>The snapshots the preview marks “forget” are removed from the repository; they cannot be restored afterwards. Recovery points are kept.</p>
        {plan && <p>Prune then removes the chunks no remaining snapshot references: about {formatBytes(plan.freed_bytes)}.</p>}
        <p>The policy applied is the one in the form, saved or not.</p>
      </ConfirmDialog>
    </section>
  );
}
