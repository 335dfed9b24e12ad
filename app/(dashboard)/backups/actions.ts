'use server';

// PLACEHOLDER so the Backups page type-checks before B5's server actions land: B5 owns this file
// (names and inputs from split11.md). On a merge conflict, take B5's version.
import type { ActionResult } from '@/lib/server/action';
import type { ForgetPlanView, RepositoryView } from '@/lib/queries/use-backups';
import type { JobView } from '@/lib/queries/use-jobs';

const notYet = async <T>(): Promise<ActionResult<T>> => ({ ok: false, error: { code: 'INTERNAL', message: 'Backups are not wired on this server yet' } });

export async function addBackupRepositoryAction(_raw: unknown): Promise<ActionResult<{ repository: RepositoryView }>> {
  return notYet();
}
export async function updateBackupRepositoryAction(_raw: unknown): Promise<ActionResult<{ repository: RepositoryView }>> {
  return notYet();
}
export async function removeBackupRepositoryAction(_raw: unknown): Promise<ActionResult<{ deleted: string }>> {
  return notYet();
}
export async function startBackupAction(_raw: unknown): Promise<ActionResult<{ job: JobView }>> {
  return notYet();
}
export async function startVerifyAction(_raw: unknown): Promise<ActionResult<{ job: JobView }>> {
  return notYet();
}
export async function startRestoreAction(_raw: unknown): Promise<ActionResult<{ job: JobView }>> {
  return notYet();
}
export async function previewRetentionAction(_raw: unknown): Promise<ActionResult<ForgetPlanView>> {
  return notYet();
}
export async function startForgetAction(_raw: unknown): Promise<ActionResult<{ job: JobView }>> {
  return notYet();
}
export async function startPruneAction(_raw: unknown): Promise<ActionResult<{ job: JobView }>> {
  return notYet();
}
