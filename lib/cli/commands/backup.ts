import { type Command, Option } from 'commander';
import { NEW_PASSWORD_ENV, PASSWORD_ENV } from './backup-password';

const HELP = `
Repository (--repo or $TORSH_BACKUP_REPO):
  /path or file:/path           a local folder
  s3://bucket[/prefix]          AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
                                AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (path-style when set)
  azure://container[/prefix]    AZURE_STORAGE_CONNECTION_STRING
Password: --password-file F (its first line), else $${PASSWORD_ENV}, else asked on the terminal
(new passwords twice). The blob store of --data comes from TORSH_STORAGE and its variables, as
for the server. See lib/cli/README.md (Backups).`;

const collect = (value: string, previous: string[] = []) => [...previous, value];

// The engine (SQLite, object-store clients) loads only when a backup command runs.
const run = () => import('./backup-run');

/** A `torsh backup …` command with the options every repository command takes. */
function repoCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(new Option('--repo <url>', 'the backup repository').env('TORSH_BACKUP_REPO').makeOptionMandatory())
    .option('--password-file <file>', `read the repository password from this file (else $${PASSWORD_ENV}, else a prompt)`);
}

export function registerBackup(program: Command): void {
  const backup = program
    .command('backup')
    .description('deduplicated, encrypted backups of a registry data directory: init, create, list, verify, restore, forget, prune, key')
    .addHelpText('after', HELP);

  repoCommand(backup, 'init', 'create an empty backup repository')
    .option('--label <label>', "a label for the password's key (shown by key list)")
    .action(async (flags) => (await run()).runInit(flags));

  repoCommand(backup, 'create', 'back up a registry data directory (database, blobs, registry key, configuration) while it keeps serving')
    .addOption(new Option('--data <dir>', 'the registry data directory').env('TORSH_DATA_DIR').makeOptionMandatory())
    .option('--tag <tag>', 'a tag (repeat for several)', collect)
    .option('--description <text>', 'a description')
    .option('--recovery-point <name>', 'make it a named recovery point (never removed by forget)')
    .option('--recovery-point-description <text>', "the recovery point's description")
    .option('--json', 'print the snapshot as JSON')
    .action(async (flags) => (await run()).runCreate(flags));

  repoCommand(backup, 'list', 'the snapshots, oldest first: time, tags, logical size, new bytes stored, dedup ratio')
    .option('--json', 'a JSON array, oldest first')
    .action(async (flags) => (await run()).runList(flags));

  repoCommand(backup, 'verify', 'check that every referenced chunk is present and indexed (--read-data: also read, decrypt and re-hash each); exit 7 on damage')
    .option('--read-data', 'read every chunk back, not only the structure')
    .option('--json', 'print the report as JSON')
    .action(async (flags) => (await run()).runVerify(flags));

  repoCommand(backup, 'restore', 'restore a registry snapshot into a new, empty data directory (blobs into DIR/blobs)')
    .requiredOption('--snapshot <id>', 'the snapshot id or a unique prefix (at least 8 characters)')
    .requiredOption('--to <dir>', 'the new data directory (absent or empty)')
    .option('--json', 'print the result as JSON')
    .action(async (flags) => (await run()).runRestore(flags));

  repoCommand(backup, 'forget', 'remove the snapshots a retention policy does not keep (recovery points are always kept)')
    .option('--keep-last <n>', 'keep the n newest snapshots')
    .option('--keep-within <duration>', 'keep every snapshot newer than this (36h, 7d, 2w, 6m, 1y; m = 30 days, y = 365 days)')
    .option('--keep-daily <n>', 'keep the newest snapshot of each of the last n days that have one')
    .option('--keep-weekly <n>', 'the same per week')
    .option('--keep-monthly <n>', 'the same per month')
    .option('--keep-yearly <n>', 'the same per year')
    .option('--keep-tag <tag>', 'keep every snapshot with this tag (repeat for several)', collect)
    .option('--dry-run', 'only show what would go and the bytes a prune would then free')
    .option('--prune', 'prune right after forgetting')
    .option('--json', 'print the plan (and the prune report) as JSON')
    .action(async (flags) => (await run()).runForget(flags));

  repoCommand(backup, 'prune', 'delete the chunks no snapshot references (safe to interrupt)')
    .option('--json', 'print the report as JSON')
    .action(async (flags) => (await run()).runPrune(flags));

  const key = backup.command('key').description('the passwords that open a repository (each wraps the same repository key)');

  repoCommand(key, 'list', "the repository's keys (* marks the one the password opened)")
    .option('--json', 'a JSON array')
    .action(async (flags) => (await run()).runKeyList(flags));

  repoCommand(key, 'add', `add a password (the new one from --new-password-file, $${NEW_PASSWORD_ENV} or asked twice)`)
    .option('--new-password-file <file>', 'read the new password from this file (its first line)')
    .option('--label <label>', 'a label for the new key')
    .action(async (flags) => (await run()).runKeyAdd(flags));

  repoCommand(key, 'remove', "remove a password's key (not the last one, nor the one in use)")
    .argument('<id>', 'the key id or a unique prefix')
    .action(async (id: string, flags) => (await run()).runKeyRemove(id, flags));
}
