import { z } from 'zod';
import { getBackupJobView, listBackupJobViews } from '@/lib/engine/backup/server/backup-job-views';
import { addRepository, removeRepository, updateRepository } from '@/lib/engine/backup/server/manage-repositories';
import { listRepositoryViews } from '@/lib/engine/backup/server/repository-rows';
import { listSnapshotViews } from '@/lib/engine/backup/server/snapshot-cache';
import { previewRetention, startBackup, startForget, startPrune, startRestore, startVerify } from '@/lib/engine/backup/server/start-jobs';
import {
  backupTargets,
  toForgetRequest,
  toRepositoryPatch,
  toRetentionPolicy,
  ZBackupJobsQuery,
  ZBackupRepoParams,
  ZBackupRepositoryInput,
  ZBackupRepositoryPatch,
  ZCreateBackupInput,
  ZForgetInput,
  ZRestoreInput,
  ZRetentionPreviewInput,
  ZSnapshotsQuery,
  ZVerifyInput,
} from '@/lib/validations/backups';
import { ZJobIdParams } from '@/lib/validations/jobs';
import { noStoreJson, route } from '../route';

const NO_PARAMS = z.object({});

/** GET /api/v1/backups/repositories */
export const listBackupRepositoriesHandler = route({
  permission: 'ManageBackups',
  params: NO_PARAMS,
  run: ({ ctx }) => noStoreJson({ repositories: listRepositoryViews(ctx.engine) }),
});

/** POST /api/v1/backups/repositories: init or attach (the password is read from its source and checked); nothing is stored when that fails. */
export const addBackupRepositoryHandler = route({
  permission: 'ManageBackups',
  params: NO_PARAMS,
  json: ZBackupRepositoryInput,
  // Never the body: it holds the location's secrets.
  audit: { action: 'backup.repository.add', target: (_p, json) => backupTargets.add(json) },
  run: async ({ json, ctx }) => noStoreJson({ repository: await addRepository(ctx.engine, json) }, 201),
});

/** PATCH /api/v1/backups/repositories/{id}: description, schedule_cron, schedule_tags, retention. */
export const updateBackupRepositoryHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZBackupRepositoryPatch,
  audit: { action: 'backup.repository.update', target: (p, json) => backupTargets.update(p.id, json) },
  run: ({ params, json, ctx }) => noStoreJson({ repository: updateRepository(ctx.engine, params.id, toRepositoryPatch(json)) }),
});

/** DELETE /api/v1/backups/repositories/{id}: the configuration goes, the repository's data stays. */
export const removeBackupRepositoryHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  audit: { action: 'backup.repository.remove', target: (p) => `backup repository ${p.id}` },
  run: ({ params, ctx }) => {
    removeRepository(ctx.engine, params.id);
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  },
});

/** GET …/{id}/snapshots?limit=&offset=&recovery_points=only|exclude: the cached list, newest first. */
export const listBackupSnapshotsHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  query: ZSnapshotsQuery,
  run: ({ params, query, ctx }) => noStoreJson(listSnapshotViews(ctx.engine, params.id, query)),
});

/** POST …/{id}/snapshots: 202 `{job}` (backup.create). */
export const startBackupHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZCreateBackupInput,
  audit: { action: 'backup.create', target: (p, json) => backupTargets.create(p.id, json) },
  run: ({ params, json, ctx }) => noStoreJson(startBackup(ctx.engine, params.id, json), 202),
});

/** POST …/{id}/verify `{read_data}`: 202 `{job}`; the job's result is the VerifyReport. */
export const startVerifyHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZVerifyInput,
  audit: { action: 'backup.verify', target: (p, json) => `backup repository ${p.id}${json.read_data ? ' (read data)' : ''}` },
  run: ({ params, json, ctx }) => noStoreJson(startVerify(ctx.engine, params.id, json), 202),
});

/** POST …/{id}/restore `{snapshot, target}`: 202 `{job}`. */
export const startRestoreHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZRestoreInput,
  audit: { action: 'backup.restore', target: (p, json) => backupTargets.restore(p.id, json) },
  run: async ({ params, json, ctx }) => noStoreJson(await startRestore(ctx.engine, ctx.actor, params.id, json), 202),
});

/**
 * POST …/{id}/retention/preview `{policy}`: the dry run. Nothing changes, so it is a read and not
 * audited (the page previews as the policy is typed); a POST only because the policy is a body.
 */
export const previewRetentionHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZRetentionPreviewInput,
  readOnly: true,
  run: async ({ params, json, ctx }) => noStoreJson(await previewRetention(ctx.engine, params.id, toRetentionPolicy(json.policy))),
});

/** POST …/{id}/forget `{policy?, snapshots?, prune}`: 202 `{job}`. */
export const startForgetHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  json: ZForgetInput,
  audit: { action: 'backup.forget', target: (p, json) => backupTargets.forget(p.id, json) },
  run: ({ params, json, ctx }) => noStoreJson(startForget(ctx.engine, params.id, toForgetRequest(json)), 202),
});

/** POST …/{id}/prune: 202 `{job}`. */
export const startPruneHandler = route({
  permission: 'ManageBackups',
  params: ZBackupRepoParams,
  audit: { action: 'backup.prune', target: (p) => `backup repository ${p.id}` },
  run: ({ params, ctx }) => noStoreJson(startPrune(ctx.engine, params.id), 202),
});

/**
 * GET /api/v1/backups/jobs?state=&kind=&page=&per_page=: the backup jobs, as GET /api/v1/jobs
 * lists them, for ManageBackups (the Backups page follows its jobs without ManageJobs).
 */
export const listBackupJobsHandler = route({
  permission: 'ManageBackups',
  params: NO_PARAMS,
  query: ZBackupJobsQuery,
  run: ({ query, ctx }) => noStoreJson(listBackupJobViews(ctx.engine, { state: query.state, kind: query.kind, page: query.page, perPage: query.per_page })),
});

/** GET /api/v1/backups/jobs/{id}: one backup job (progress, result); another kind is 404 JOB_NOT_FOUND, as a missing job. */
export const getBackupJobHandler = route({
  permission: 'ManageBackups',
  params: ZJobIdParams,
  run: ({ params, ctx }) => noStoreJson(getBackupJobView(ctx.engine, params.id)),
});
