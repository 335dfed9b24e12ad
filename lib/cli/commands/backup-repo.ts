import { openRepoBackend, parseRepoUrl } from '@/lib/engine/backup/repo/open-backend';
import { openRepository } from '@/lib/engine/backup/repo/repository';
import { parseRetentionDuration } from '@/lib/engine/backup/retention';
import type { BackupRepository, RepoBackend, RetentionPolicy } from '@/lib/engine/backup/types';
import { CliError, EXIT } from '../exit-codes';
import { backupPassword, PASSWORD_ENV } from './backup-password';

export type RepoFlags = { repo: string; passwordFile?: string };

/** `--repo`: a path, `file:/path`, `s3://bucket[/prefix]` or `azure://container[/prefix]` (credentials from the environment). */
export function backendFor(repo: string): RepoBackend {
  return openRepoBackend(parseRepoUrl(repo, process.env));
}

export function repoPassword(flags: RepoFlags, opts: { confirm?: boolean; what?: string } = {}): Promise<string> {
  return backupPassword({
    file: flags.passwordFile,
    envName: PASSWORD_ENV,
    flag: '--password-file',
    what: opts.what ?? 'Repository password',
    confirm: opts.confirm,
  });
}

export async function openRepo(flags: RepoFlags): Promise<BackupRepository> {
  const backend = backendFor(flags.repo);
  return openRepository(backend, await repoPassword(flags));
}

export type PolicyFlags = {
  keepLast?: string;
  keepWithin?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  keepYearly?: string;
  keepTag?: string[];
};

/** A count: n ≥ 1, or -1 for unlimited (as restic). */
function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (value !== '-1' && (!/^\d+$/.test(value) || Number(value) < 1)) {
    throw new CliError(EXIT.USAGE, `${flag} must be a whole number of at least 1 (or -1: unlimited), not "${value}"`);
  }
  return Number(value);
}

/** The retention policy of `forget`'s flags; an empty one is refused (it would keep everything). */
export function policyFromFlags(flags: PolicyFlags): RetentionPolicy {
  const policy: RetentionPolicy = {};
  const set = <K extends keyof RetentionPolicy>(key: K, value: RetentionPolicy[K] | undefined) => {
    if (value !== undefined) policy[key] = value;
  };
  set('keepLast', count(flags.keepLast, '--keep-last'));
  if (flags.keepWithin !== undefined) {
    parseRetentionDuration(flags.keepWithin);
    policy.keepWithin = flags.keepWithin;
  }
  set('keepDaily', count(flags.keepDaily, '--keep-daily'));
  set('keepWeekly', count(flags.keepWeekly, '--keep-weekly'));
  set('keepMonthly', count(flags.keepMonthly, '--keep-monthly'));
  set('keepYearly', count(flags.keepYearly, '--keep-yearly'));
  if (flags.keepTag?.length) policy.keepTags = flags.keepTag;
  if (Object.keys(policy).length === 0) {
    throw new CliError(
      EXIT.USAGE,
      'no retention policy: give at least one of --keep-last, --keep-within, --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly, --keep-tag',
    );
  }
  return policy;
}
