import { formatRatio } from '@/components/charts/format-units';
import type { PasswordSourceView, RetentionPolicyView, SnapshotView } from '@/lib/queries/use-backups';

/** A deduplication ratio (logical / stored): "3.25×", "—" before anything is stored. */
export function dedupText(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) || ratio <= 0 ? '—' : formatRatio(ratio);
}

/** Where the password comes from, never the password: "file /etc/torsh/backup.pass", "env TORSH_BACKUP_PASSWORD_MAIN". */
export function passwordSourceText(source: PasswordSourceView): string {
  return source.type === 'file' ? `file ${source.path}` : `env ${source.name}`;
}

/** What a snapshot holds: the whole registry, or one package version. */
export function snapshotContent(s: Pick<SnapshotView, 'kind' | 'package'>): string {
  return s.kind === 'package' && s.package ? `${s.package.name}@${s.package.version}` : 'whole registry';
}

/** The retention editor's fields, as the form holds them (strings; empty = not set). */
export type RetentionForm = { keepLast: string; keepWithin: string; keepDaily: string; keepWeekly: string; keepMonthly: string; keepYearly: string; keepTags: string };

export const RETENTION_FIELDS: { key: Exclude<keyof RetentionForm, 'keepWithin' | 'keepTags'>; api: keyof RetentionPolicyView; label: string; hint: string }[] = [
  { key: 'keepLast', api: 'keep_last', label: 'Keep last', hint: 'the newest N snapshots' },
  { key: 'keepDaily', api: 'keep_daily', label: 'Daily', hint: 'the last snapshot of each of the last N days that have one' },
  { key: 'keepWeekly', api: 'keep_weekly', label: 'Weekly', hint: 'the last of each of N weeks' },
  { key: 'keepMonthly', api: 'keep_monthly', label: 'Monthly', hint: 'the last of each of N months' },
  { key: 'keepYearly', api: 'keep_yearly', label: 'Yearly', hint: 'the last of each of N years' },
];

export const EMPTY_RETENTION: RetentionForm = { keepLast: '', keepWithin: '', keepDaily: '', keepWeekly: '', keepMonthly: '', keepYearly: '', keepTags: '' };

/** Split "a, b  c" into tags: commas or spaces, no empties, no duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export function retentionToForm(policy: RetentionPolicyView | null | undefined): RetentionForm {
  if (!policy) return EMPTY_RETENTION;
  const n = (v: number | undefined) => (v === undefined || v === null ? '' : String(v));
  return {
    keepLast: n(policy.keep_last),
    keepWithin: policy.keep_within ?? '',
    keepDaily: n(policy.keep_daily),
    keepWeekly: n(policy.keep_weekly),
    keepMonthly: n(policy.keep_monthly),
    keepYearly: n(policy.keep_yearly),
    keepTags: (policy.keep_tags ?? []).join(', '),
  };
}

/** The policy to send: only the fields set (a count that is not a whole number ≥ 0 is sent as typed, for the server to refuse by name). */
export function retentionFromForm(form: RetentionForm): RetentionPolicyView {
  const policy: RetentionPolicyView = {};
  for (const f of RETENTION_FIELDS) {
    const raw = form[f.key].trim();
    if (raw !== '') (policy as Record<string, unknown>)[f.api] = Number(raw);
  }
  if (form.keepWithin.trim()) policy.keep_within = form.keepWithin.trim();
  const tags = parseTags(form.keepTags);
  if (tags.length > 0) policy.keep_tags = tags;
  return policy;
}

/** A policy in one line: "last 7 · within 30d · 7 daily · 4 weekly · tags release"; "keep everything" when empty. */
export function retentionSummary(policy: RetentionPolicyView | null | undefined): string {
  if (!policy) return 'keep everything';
  const parts: string[] = [];
  if (policy.keep_last !== undefined) parts.push(`last ${policy.keep_last}`);
  if (policy.keep_within) parts.push(`within ${policy.keep_within}`);
  if (policy.keep_daily !== undefined) parts.push(`${policy.keep_daily} daily`);
  if (policy.keep_weekly !== undefined) parts.push(`${policy.keep_weekly} weekly`);
  if (policy.keep_monthly !== undefined) parts.push(`${policy.keep_monthly} monthly`);
  if (policy.keep_yearly !== undefined) parts.push(`${policy.keep_yearly} yearly`);
  if (policy.keep_tags && policy.keep_tags.length > 0) parts.push(`tags ${policy.keep_tags.join(', ')}`);
  return parts.length === 0 ? 'keep everything' : parts.join(' · ');
}

/** True when the policy keeps everything (no field set): forgetting with it removes nothing. */
export const isEmptyPolicy = (policy: RetentionPolicyView) => Object.keys(policy).length === 0;
