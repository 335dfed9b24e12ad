import path from 'node:path';
import { z } from 'zod';
import { PASSWORD_ENV_RE } from '@/lib/engine/backup/server/password-source';
import { BACKUP_REPO_ID_RE, type RetentionPolicy } from '@/lib/engine/backup/types';
import { BACKUP_JOB_KINDS } from '@/lib/engine/backup/server/backup-job-views';
import { ZJobsQuery } from './jobs';
import { ZNodeBackend } from './replication';

export const ZBackupRepoId = z.string().trim().regex(BACKUP_REPO_ID_RE, 'a repository id is 1–63 lowercase letters, digits and "-", starting with a letter or digit');
export const ZBackupRepoParams = z.object({ id: ZBackupRepoId });

const ZAbsolutePath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `give the ${what}`)
    .max(4096, 'a path is at most 4096 characters')
    .refine((p) => path.isAbsolute(p) && !p.includes('\0'), `the ${what} is an absolute path`);

/** Where the server reads the password (never the password itself). */
export const ZPasswordSource = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('file'), path: ZAbsolutePath('password file') }),
    z.strictObject({
      type: z.literal('env'),
      name: z.string().trim().regex(PASSWORD_ENV_RE, 'the variable is TORSH_BACKUP_PASSWORD or TORSH_BACKUP_PASSWORD_<NAME> (uppercase letters, digits, "_")'),
    }),
  ],
  { error: 'password_source.type is file or env' },
);

const ZDescription = z.string().trim().max(1000, 'a description is at most 1000 characters');
export const ZBackupTag = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'a tag is 1–64 letters, digits, ".", "_", ":" and "-"');
const ZTags = z.array(ZBackupTag).max(20, 'at most 20 tags');
const ZCount = (field: string) => z.number().int(`${field} is a whole number`).min(0, `${field} is 0 or more`).max(100_000);
const RETENTION_DURATION_RE = /^\d{1,6}[hdwmy]$/;

const CAMEL_TO_SNAKE: Record<string, string> = {
  keepLast: 'keep_last',
  keepWithin: 'keep_within',
  keepDaily: 'keep_daily',
  keepWeekly: 'keep_weekly',
  keepMonthly: 'keep_monthly',
  keepYearly: 'keep_yearly',
  keepTags: 'keep_tags',
};

/** A retention policy as the API takes it: snake_case (the engine's camelCase names are accepted too). Empty keeps everything. */
export const ZRetentionPolicy = z.preprocess(
  (v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [CAMEL_TO_SNAKE[k] ?? k, x])) : v),
  z.strictObject({
    keep_last: ZCount('keep_last').optional(),
    keep_within: z.string().trim().regex(RETENTION_DURATION_RE, 'keep_within is a number and a unit: h, d, w, m (30 days) or y (365 days), e.g. 36h, 7d, 6m').optional(),
    keep_daily: ZCount('keep_daily').optional(),
    keep_weekly: ZCount('keep_weekly').optional(),
    keep_monthly: ZCount('keep_monthly').optional(),
    keep_yearly: ZCount('keep_yearly').optional(),
    keep_tags: ZTags.optional(),
  }),
);
export type RetentionPolicyInput = z.infer<typeof ZRetentionPolicy>;

export function toRetentionPolicy(p: RetentionPolicyInput): RetentionPolicy {
  const out: RetentionPolicy = {};
  if (p.keep_last !== undefined) out.keepLast = p.keep_last;
  if (p.keep_within !== undefined) out.keepWithin = p.keep_within;
  if (p.keep_daily !== undefined) out.keepDaily = p.keep_daily;
  if (p.keep_weekly !== undefined) out.keepWeekly = p.keep_weekly;
  if (p.keep_monthly !== undefined) out.keepMonthly = p.keep_monthly;
  if (p.keep_yearly !== undefined) out.keepYearly = p.keep_yearly;
  if (p.keep_tags !== undefined) out.keepTags = p.keep_tags;
  return out;
}

/** POST /api/v1/backups/repositories: init a new repository there, or attach the one there (its password is checked). */
export const ZBackupRepositoryInput = z.strictObject({
  id: ZBackupRepoId,
  description: ZDescription.nullable().optional(),
  backend: ZNodeBackend,
  password_source: ZPasswordSource,
  init: z.boolean(),
});
export type BackupRepositoryInput = z.infer<typeof ZBackupRepositoryInput>;

/** PATCH /api/v1/backups/repositories/{id}: null clears the schedule or the retention policy. */
export const ZBackupRepositoryPatch = z.strictObject({
  description: ZDescription.nullable().optional(),
  schedule_cron: z.string().trim().min(1).max(200).nullable().optional(),
  schedule_tags: ZTags.optional(),
  retention: ZRetentionPolicy.nullable().optional(),
});
export type BackupRepositoryPatch = z.infer<typeof ZBackupRepositoryPatch>;

export const ZSnapshotsQuery = z.object({
  limit: z.coerce.number().int().min(1, 'limit is 1 to 200').max(200, 'limit is 1 to 200').default(50),
  offset: z.coerce.number().int().min(0, 'offset is 0 or more').default(0),
  /** `only`: the recovery points alone; `exclude`: every other snapshot; absent: all. */
  recovery_points: z.enum(['only', 'exclude'], 'recovery_points is only or exclude').optional(),
});

/** GET /api/v1/backups/jobs: the jobs list's filters, with `kind` limited to the backup kinds. */
export const ZBackupJobsQuery = ZJobsQuery.extend({ kind: z.enum(BACKUP_JOB_KINDS, `kind is one of ${BACKUP_JOB_KINDS.join(', ')}`).optional() });

const ZPackageCoords = z.strictObject({ name: z.string().trim().min(1).max(214), version: z.string().trim().min(1).max(128) });

/** POST …/snapshots: a registry snapshot, or one package version with `package`. */
export const ZCreateBackupInput = z.strictObject({
  tags: ZTags.default([]),
  description: ZDescription.nullable().optional(),
  recovery_point: z.strictObject({ name: z.string().trim().min(1, 'give the recovery point a name').max(100), description: ZDescription.nullable().optional() }).nullable().optional(),
  package: ZPackageCoords.nullable().optional(),
});
export type CreateBackupInput = z.infer<typeof ZCreateBackupInput>;

export const ZVerifyInput = z.strictObject({ read_data: z.boolean().default(false) });

/** A snapshot id or a unique prefix of at least 8 hex digits. */
export const ZSnapshotRef = z.string().trim().regex(/^[0-9a-f]{8,64}$/, 'a snapshot is its id or a prefix of at least 8 hex digits');

export const ZRestoreTarget = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('package'), name: z.string().trim().min(1).max(214).optional(), version: z.string().trim().min(1).max(128).optional() }),
    z.strictObject({ type: z.literal('directory'), path: ZAbsolutePath('target directory') }),
  ],
  { error: 'target.type is package or directory' },
);
export const ZRestoreInput = z
  .strictObject({ snapshot: ZSnapshotRef, target: ZRestoreTarget })
  .refine((r) => r.target.type !== 'package' || (r.target.name === undefined) === (r.target.version === undefined), {
    message: 'give both name and version, or neither (the package of a package snapshot)',
    path: ['target'],
  });
export type RestoreInput = z.infer<typeof ZRestoreInput>;

export const ZRetentionPreviewInput = z.strictObject({ policy: ZRetentionPolicy });

/** POST …/forget: by policy (default: the repository's), or named snapshots; then prune when asked. */
export const ZForgetInput = z
  .strictObject({ policy: ZRetentionPolicy.optional(), snapshots: z.array(ZSnapshotRef).min(1).max(1000).optional(), prune: z.boolean().default(false) })
  .refine((f) => f.policy === undefined || f.snapshots === undefined, { message: 'give a policy or snapshots, not both', path: ['snapshots'] });
export type ForgetInput = z.infer<typeof ZForgetInput>;

/** The engine's forget request from the API's body (route and server action alike). */
export function toForgetRequest(i: ForgetInput): { policy: RetentionPolicy | undefined; snapshots: string[] | undefined; prune: boolean } {
  return { policy: i.policy ? toRetentionPolicy(i.policy) : undefined, snapshots: i.snapshots, prune: i.prune };
}

/** Server actions take the route's body plus the repository id. */
const withId = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ id: ZBackupRepoId, ...shape });
export const ZBackupRepositoryPatchAction = withId(ZBackupRepositoryPatch.shape);
export const ZCreateBackupAction = withId(ZCreateBackupInput.shape);
export const ZVerifyAction = withId(ZVerifyInput.shape);
export const ZRestoreAction = withId({ snapshot: ZSnapshotRef, target: ZRestoreTarget });
export const ZRetentionPreviewAction = withId(ZRetentionPreviewInput.shape);
export const ZForgetAction = withId({ policy: ZRetentionPolicy.optional(), snapshots: z.array(ZSnapshotRef).min(1).max(1000).optional(), prune: z.boolean().default(false) });

/** The engine's patch: retention in its own names. */
export function toRepositoryPatch(p: BackupRepositoryPatch) {
  return {
    description: p.description,
    schedule_cron: p.schedule_cron,
    schedule_tags: p.schedule_tags,
    retention: p.retention === undefined ? undefined : p.retention === null ? null : toRetentionPolicy(p.retention),
  };
}

/** Audit targets, the same for routes and actions: ids, kinds and choices, never a secret nor where the password is read. */
export const backupTargets = {
  add: (i: Pick<BackupRepositoryInput, 'id' | 'backend' | 'init'>) => `backup repository ${i.id} (${i.backend.type}, ${i.init ? 'init' : 'attach'})`,
  update: (id: string, p: BackupRepositoryPatch) =>
    `backup repository ${id}: ${
      Object.entries(p)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k)
        .join(', ') || 'nothing'
    }`,
  create: (id: string, i: Pick<CreateBackupInput, 'package' | 'recovery_point'>) =>
    `backup repository ${id}: ${i.package ? `${i.package.name}@${i.package.version}` : 'registry'}${i.recovery_point ? `, recovery point "${i.recovery_point.name}"` : ''}`,
  restore: (id: string, i: Pick<RestoreInput, 'snapshot' | 'target'>) =>
    `backup repository ${id}: snapshot ${i.snapshot.slice(0, 8)} into ${
      i.target.type === 'directory' ? i.target.path : i.target.name ? `${i.target.name}@${i.target.version}` : 'the registry (its package)'
    }`,
  forget: (id: string, i: { policy?: unknown; snapshots?: string[]; prune: boolean }) =>
    `backup repository ${id}: ${i.snapshots ? `${i.snapshots.length} snapshot(s)` : i.policy ? 'by policy' : 'by its retention'}${i.prune ? ', then prune' : ''}`,
};
