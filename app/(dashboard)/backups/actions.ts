'use server';

import { addRepository, removeRepository, updateRepository } from '@/lib/engine/backup/server/manage-repositories';
import { previewRetention, startBackup, startForget, startPrune, startRestore, startVerify } from '@/lib/engine/backup/server/start-jobs';
import { action } from '@/lib/server/action';
import {
  backupTargets,
  toRepositoryPatch,
  toForgetRequest,
  toRetentionPolicy,
  ZBackupRepoParams,
  ZBackupRepositoryInput,
  ZBackupRepositoryPatchAction,
  ZCreateBackupAction,
  ZForgetAction,
  ZRestoreAction,
  ZRetentionPreviewAction,
  ZVerifyAction,
} from '@/lib/validations/backups';

// The Backups page's actions: the same engine calls, inputs and audit targets as the routes (plus `id`; the preview, as its route, is a read).

export const addBackupRepositoryAction = action({
  permission: 'ManageBackups',
  input: ZBackupRepositoryInput,
  audit: { action: 'backup.repository.add', target: backupTargets.add },
  run: async (i, ctx) => ({ repository: await addRepository(ctx.engine, i) }),
});

export const updateBackupRepositoryAction = action({
  permission: 'ManageBackups',
  input: ZBackupRepositoryPatchAction,
  audit: { action: 'backup.repository.update', target: ({ id, ...p }) => backupTargets.update(id, p) },
  run: ({ id, ...p }, ctx) => ({ repository: updateRepository(ctx.engine, id, toRepositoryPatch(p)) }),
});

export const removeBackupRepositoryAction = action({
  permission: 'ManageBackups',
  input: ZBackupRepoParams,
  audit: { action: 'backup.repository.remove', target: (i) => `backup repository ${i.id}` },
  run: (i, ctx) => {
    removeRepository(ctx.engine, i.id);
    return { deleted: i.id };
  },
});

export const startBackupAction = action({
  permission: 'ManageBackups',
  input: ZCreateBackupAction,
  audit: { action: 'backup.create', target: ({ id, ...i }) => backupTargets.create(id, i) },
  run: ({ id, ...i }, ctx) => startBackup(ctx.engine, id, i),
});

export const startVerifyAction = action({
  permission: 'ManageBackups',
  input: ZVerifyAction,
  audit: { action: 'backup.verify', target: (i) => `backup repository ${i.id}${i.read_data ? ' (read data)' : ''}` },
  run: (i, ctx) => startVerify(ctx.engine, i.id, i),
});

export const startRestoreAction = action({
  permission: 'ManageBackups',
  input: ZRestoreAction,
  audit: { action: 'backup.restore', target: ({ id, ...i }) => backupTargets.restore(id, i) },
  run: ({ id, ...i }, ctx) => startRestore(ctx.engine, ctx.actor, id, i),
});

/** The dry run the retention editor makes as a policy is typed: nothing changes, so it is not audited. */
export const previewRetentionAction = action({
  permission: 'ManageBackups',
  input: ZRetentionPreviewAction,
  readOnly: true,
  run: (i, ctx) => previewRetention(ctx.engine, i.id, toRetentionPolicy(i.policy)),
});

export const startForgetAction = action({
  permission: 'ManageBackups',
  input: ZForgetAction,
  audit: { action: 'backup.forget', target: ({ id, ...i }) => backupTargets.forget(id, i) },
  run: ({ id, ...i }, ctx) => startForget(ctx.engine, id, toForgetRequest(i)),
});

export const startPruneAction = action({
  permission: 'ManageBackups',
  input: ZBackupRepoParams,
  audit: { action: 'backup.prune', target: (i) => `backup repository ${i.id}` },
  run: (i, ctx) => startPrune(ctx.engine, i.id),
});
