/**
 * The Backups views render (server-side, with the queries' data in place): sizes in binary units,
 * ratios with ×, a failing repository in red, recovery points apart, the verify report naming
 * damaged chunks with their snapshots and files, the retention dry-run, and the form conversions.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { meKey } from '@/lib/queries/use-me';
import { backupsKey, type ForgetPlanView, type RepositoryView, type SnapshotView, type VerifyReport } from '@/lib/queries/use-backups';
import { dedupText, EMPTY_RETENTION, parseTags, passwordSourceText, retentionFromForm, retentionSummary, retentionToForm, snapshotContent } from './backup-format';
import { backupInputFromForm } from './backup-now-dialog';
import { mergeGauges } from './backup-charts';
import { RECOVERY_POINTS_PER_PAGE, RecoveryPoints } from './recovery-points';
import { BackupJobs } from './backup-jobs';
import { RepositoriesTable } from './repositories-table';
import { previewSummary, RetentionPreview } from './retention-preview';
import { SnapshotsTable } from './snapshots-table';
import { isVerifyReport, VerifyReportView } from './verify-report';
import { WatchedJob } from './watched-job';
import { BackupsDashboard } from './backups-dashboard';
import type { JobView } from '@/lib/queries/use-jobs';

const NOW = Date.now();
const MIB = 1024 * 1024;
const repo = (id: string, over: Partial<RepositoryView> = {}): RepositoryView => ({
  id,
  description: 'Nightly',
  backend: { type: 'local', path: `/srv/backups/${id}` },
  password_source: { type: 'file', path: '/etc/torsh/backup.pass' },
  repo_uid: 'a'.repeat(32),
  schedule_cron: '0 3 * * *',
  schedule_tags: ['nightly'],
  retention: { keep_last: 7 },
  last_run_at: NOW - 3_600_000,
  last_success_at: NOW - 3_600_000,
  last_error: null,
  stored_bytes: 300 * MIB,
  snapshot_count: 4,
  logical_bytes: 1200 * MIB,
  dedup_ratio: 4,
  created_at: NOW - 86_400_000,
  ...over,
});
const snap = (id: string, over: Partial<SnapshotView> = {}): SnapshotView => ({
  id: id.padEnd(64, '0'),
  short_id: id.slice(0, 8),
  time: NOW - 60_000,
  kind: 'registry',
  host: 'origin-1',
  tags: [],
  description: null,
  recovery_point: null,
  package: null,
  logical_bytes: 256 * MIB,
  new_bytes: 12 * MIB,
  dedup_ratio: 256 / 12,
  file_count: 42,
  unique_chunks: 260,
  duration_ms: 3_400,
  ...over,
});

function render(element: ReactElement, seed: (client: QueryClient) => void = () => {}): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(meKey, { user: { id: 1, username: 'u', is_admin: true, permissions: [] } });
  seed(client);
  return renderToString(createElement(QueryClientProvider, { client }, element)).replaceAll('<!-- -->', '');
}

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe('backup formatting', () => {
  it('writes ratios with ×, password sources without the password, and what a snapshot holds', () => {
    expect(dedupText(4)).toBe('4.00×');
    expect(dedupText(21.33)).toBe('21.3×');
    expect(dedupText(null)).toBe('—');
    expect(dedupText(0)).toBe('—');
    expect(dedupText(Number.POSITIVE_INFINITY)).toBe('—');
    expect(passwordSourceText({ type: 'file', path: '/etc/p' })).toBe('file /etc/p');
    expect(passwordSourceText({ type: 'env', name: 'TORSH_BACKUP_PASSWORD_X' })).toBe('env TORSH_BACKUP_PASSWORD_X');
    expect(snapshotContent({ kind: 'registry', package: null })).toBe('whole registry');
    expect(snapshotContent({ kind: 'package', package: { name: 'resnet', version: '1.0.0' } })).toBe('resnet@1.0.0');
  });

  it('turns the retention form into the policy sent (only fields set) and back', () => {
    expect(retentionFromForm(EMPTY_RETENTION)).toEqual({});
    const policy = retentionFromForm({ ...EMPTY_RETENTION, keepLast: '3', keepDaily: ' 7 ', keepWithin: ' 30d ', keepTags: 'release, pre-upgrade release' });
    expect(policy).toEqual({ keep_last: 3, keep_daily: 7, keep_within: '30d', keep_tags: ['release', 'pre-upgrade'] });
    expect(retentionFromForm(retentionToForm(policy))).toEqual(policy);
    expect(retentionToForm(null)).toEqual(EMPTY_RETENTION);
    expect(retentionSummary(policy)).toBe('last 3 · within 30d · 7 daily · tags release, pre-upgrade');
    expect(retentionSummary({})).toBe('keep everything');
    expect(retentionSummary(null)).toBe('keep everything');
    expect(parseTags(' a,b  c,,a ')).toEqual(['a', 'b', 'c']);
  });

  it('builds the backup input: empty fields left out, a recovery point only with a name, a package when asked', () => {
    expect(backupInputFromForm('main', 'registry', form({ tags: '', description: '', rp_name: '', rp_description: 'ignored without a name' }))).toEqual({ id: 'main' });
    expect(
      backupInputFromForm('main', 'registry', form({ tags: 'manual, pre-2.0', description: 'before', rp_name: 'pre-2.0', rp_description: '' })),
    ).toEqual({ id: 'main', tags: ['manual', 'pre-2.0'], description: 'before', recovery_point: { name: 'pre-2.0' } });
    expect(backupInputFromForm('main', 'package', form({ package_name: 'resnet', package_version: '1.0.0' }))).toEqual({
      id: 'main',
      package: { name: 'resnet', version: '1.0.0' },
    });
  });

  it('merges gauges into one row per step with a reading, a series without one in that step as a gap', () => {
    const pt = (t: number, max: number, count = 1) => ({ t, max, count }) as never;
    const rows = mergeGauges({ stored: { points: [pt(2, 20), pt(1, 10), pt(3, 0, 0)] }, logical: { points: [pt(1, 40), pt(2, 0, 0), pt(3, 0, 0)] }, missing: undefined });
    expect(rows).toEqual([
      { t: 1, stored: 10, logical: 40 },
      { t: 2, stored: 20, logical: null },
    ]);
  });
});

describe('repositories table', () => {
  it('shows location, password source, sizes in binary units, the ratio, and a failing repository in red with its error', () => {
    const html = render(
      createElement(RepositoriesTable, {
        repositories: [
          repo('nightly'),
          repo('offsite', {
            backend: { type: 's3', endpoint: 'http://127.0.0.1:4569', bucket: 'bk', region: 'us-east-1', force_path_style: true, prefix: 'torsh/', access_key_id: 'AKIA' },
            password_source: { type: 'env', name: 'TORSH_BACKUP_PASSWORD_OFFSITE' },
            last_run_at: NOW - 60_000,
            last_success_at: NOW - 2 * 86_400_000,
            last_error: 'BACKUP_REPO_UNAVAILABLE: connect ECONNREFUSED',
            schedule_cron: null,
          }),
        ],
        selected: 'nightly',
        onSelect: () => {},
        onRemove: () => {},
      }),
    );
    expect(html).toContain('/srv/backups/nightly');
    expect(html).toContain('password: file /etc/torsh/backup.pass');
    expect(html).toContain('300 MiB');
    expect(html).toContain('1.2 GiB');
    expect(html).toContain('4.00×');
    expect(html).toContain('s3://bk/torsh/');
    expect(html).toContain('env TORSH_BACKUP_PASSWORD_OFFSITE');
    expect(html).toMatch(/data-repository-id="offsite" class="align-top bg-red-50/);
    expect(html).toMatch(/text-red-700">BACKUP_REPO_UNAVAILABLE: connect ECONNREFUSED/);
    expect(html).toContain('manual');
    expect(html).toMatch(/aria-pressed="true" aria-label="Open repository nightly"/);
    expect(html).not.toContain('AKIA'.repeat(2));
  });
});

describe('snapshots', () => {
  it('lists time, short id, content, tags, logical and new bytes, ratio and duration; recovery points carry their name', () => {
    const html = render(
      createElement(SnapshotsTable, {
        snapshots: [
          snap('abcdef0123', { tags: ['nightly'], recovery_point: { name: 'pre-2.0', description: null } }),
          snap('99990000ff', { kind: 'package', package: { name: 'resnet', version: '2.0.0' }, logical_bytes: 1536, new_bytes: 0, dedup_ratio: null, duration_ms: 250 }),
        ],
        onRestore: () => {},
      }),
    );
    expect(html).toContain('abcdef01');
    expect(html).toContain('whole registry');
    expect(html).toContain('42 files · origin-1');
    expect(html).toContain('nightly');
    expect(html).toContain('256 MiB');
    expect(html).toContain('12 MiB');
    expect(html).toContain('21.3×');
    expect(html).toContain('3.40 s');
    expect(html).toContain('recovery point pre-2.0');
    expect(html).toContain('resnet@2.0.0');
    expect(html).toContain('1.5 KiB');
    expect(html).toContain('250 ms');
    expect(html).toContain('aria-label="Restore snapshot abcdef01"');
  });

  it('lists recovery points apart, paginated, and says how one is made when there are none', () => {
    const pointsKey = [...backupsKey, 'recovery-points', 'main', { page: 1, perPage: RECOVERY_POINTS_PER_PAGE }];
    const withPoints = render(createElement(RecoveryPoints, { repositoryId: 'main', onRestore: () => {} }), (c) =>
      c.setQueryData(pointsKey, {
        snapshots: [snap('abcdef0123', { recovery_point: { name: 'pre-2.0', description: 'Before the upgrade' } })],
        total: RECOVERY_POINTS_PER_PAGE + 5,
      }),
    );
    expect(withPoints).toContain('aria-label="Recovery point pre-2.0"');
    expect(withPoints).toContain('Before the upgrade');
    expect(withPoints).toContain('aria-label="Pagination"');
    const one = render(createElement(RecoveryPoints, { repositoryId: 'main', onRestore: () => {} }), (c) =>
      c.setQueryData(pointsKey, { snapshots: [snap('abcdef0123', { recovery_point: { name: 'pre-2.0', description: null } })], total: 1 }),
    );
    expect(one).not.toContain('aria-label="Pagination"');
    const none = render(createElement(RecoveryPoints, { repositoryId: 'main', onRestore: () => {} }), (c) =>
      c.setQueryData(pointsKey, { snapshots: [], total: 0 }),
    );
    expect(none).toContain('No recovery points yet');
    expect(none).toContain('torsh backup create --recovery-point NAME');
  });
});

describe('verify report', () => {
  const report = (over: Partial<VerifyReport> = {}): VerifyReport => ({
    mode: 'read-data',
    ok: true,
    snapshots: 3,
    chunksChecked: 1200,
    bytesRead: 900 * MIB,
    damaged: [],
    damagedFiles: [],
    durationMs: 12_500,
    ...over,
  });

  it('recognises a report among job results', () => {
    expect(isVerifyReport(report())).toBe(true);
    expect(isVerifyReport(null)).toBe(false);
    expect(isVerifyReport({ ok: true })).toBe(false);
  });

  it('says a clean repository is clean, with what was read', () => {
    const html = render(createElement(VerifyReportView, { report: report() }));
    expect(html).toContain('data-verify-ok="true"');
    expect(html).toContain('no damage found');
    expect(html).toContain('3 snapshots · 1,200 chunks checked · 900 MiB read · 12.5 s');
  });

  it('names each damaged chunk with the snapshots and files it affects', () => {
    const chunk = 'c0ffee'.padEnd(64, '1');
    const html = render(
      createElement(VerifyReportView, {
        report: report({
          ok: false,
          damaged: [{ chunkId: chunk, problem: 'corrupt', snapshots: ['aaaaaaaa11', 'bbbbbbbb22'], files: [{ snapshot: 'aaaaaaaa11', path: 'blobs/5e1f' }] }],
          damagedFiles: ['index/77aa'],
        }),
      }),
    );
    expect(html).toContain('data-verify-ok="false"');
    expect(html).toContain('damaged');
    expect(html).toContain(`title="${chunk}"`);
    expect(html).toContain('corrupt: does not decrypt or re-hash to its id');
    expect(html).toContain('aaaaaaaa');
    expect(html).toContain('bbbbbbbb');
    expect(html).toContain('blobs/5e1f');
    expect(html).toContain('index/77aa');
  });
});

describe('retention preview', () => {
  const plan: ForgetPlanView = {
    decisions: [
      { id: 'a'.repeat(64), time: NOW - 2 * 86_400_000, keep: false, reasons: [] },
      { id: 'b'.repeat(64), time: NOW - 86_400_000, keep: true, reasons: ['last 1', 'daily 1'] },
    ],
    remove: ['a'.repeat(64)],
    freed_chunks: 12,
    freed_bytes: 40 * MIB,
  };

  it('states what goes and the bytes prune really frees', () => {
    expect(previewSummary(plan)).toBe('Forgets 1 of 2 snapshots; prune then frees 40 MiB (12 chunks no kept snapshot shares).');
    expect(previewSummary({ ...plan, remove: [], freed_bytes: 0, freed_chunks: 0 })).toBe('Keeps all 2 snapshots: nothing to forget.');
  });

  it('lists the decisions newest first, with why the kept ones stay', () => {
    const html = render(createElement(RetentionPreview, { plan }));
    expect(html).toContain(`data-freed-bytes="${40 * MIB}"`);
    expect(html.indexOf('bbbbbbbb')).toBeLessThan(html.indexOf('aaaaaaaa'));
    expect(html).toContain('last 1, daily 1');
    expect(html).toMatch(/data-keep="false"[^>]*>.*forget/);
  });
});

describe('a watched job', () => {
  const jobView = (over: Partial<JobView>): JobView => ({
    id: 7,
    kind: 'backup.verify',
    state: 'queued',
    payload: null,
    attempts: 0,
    max_attempts: 3,
    run_at: NOW,
    lease_until: null,
    worker_id: null,
    progress: null,
    last_error: null,
    idempotency_key: null,
    schedule_name: null,
    created_at: NOW,
    started_at: null,
    finished_at: null,
    result: null,
    ...over,
  });
  const watched = (job: JobView | null) =>
    render(
      createElement(WatchedJob, {
        job: { id: 7, kind: 'backup.verify', label: 'Full verify' },
        children: (done: JobView) => (isVerifyReport(done.result) ? createElement(VerifyReportView, { report: done.result }) : null),
      }),
      (c) => c.setQueryData(['jobs', 'watch', 7], job),
    );

  it('shows progress while it runs, the retry reason when an attempt failed, and the report once it succeeded', () => {
    const running = watched(jobView({ state: 'running', progress: { done: 30, total: 120, message: 'chunks' } }));
    expect(running).toContain('Full verify job #7');
    expect(running).toContain('data-job-state="running"');
    expect(running).toContain('role="progressbar"');
    expect(running).toContain('30 of 120 · chunks');
    const failed = watched(jobView({ state: 'failed', last_error: 'BACKUP_REPO_LOCKED: held by backup.create' }));
    expect(failed).toContain('Attempt failed, it will retry: BACKUP_REPO_LOCKED');
    const dead = watched(jobView({ state: 'dead', last_error: 'BACKUP_WRONG_PASSWORD' }));
    expect(dead).toMatch(/text-red-700">BACKUP_WRONG_PASSWORD/);
    const done = watched(
      jobView({ state: 'succeeded', result: { mode: 'structure', ok: true, snapshots: 1, chunksChecked: 9, bytesRead: 0, damaged: [], damagedFiles: [], durationMs: 40 } }),
    );
    expect(done).toContain('data-job-state="succeeded"');
    expect(done).toContain('no damage found');
    expect(watched(null)).toContain('data-job-state="queued"');
  });
});

describe('the backup jobs table', () => {
  const job = (id: number, state: JobView['state']): JobView => ({
    id,
    kind: 'backup.create',
    state,
    payload: null,
    attempts: 3,
    max_attempts: 3,
    run_at: NOW,
    lease_until: null,
    worker_id: null,
    progress: null,
    last_error: state === 'dead' ? 'BACKUP_REPO_UNAVAILABLE' : null,
    idempotency_key: null,
    schedule_name: null,
    created_at: NOW,
    started_at: NOW,
    finished_at: NOW,
    result: null,
  });
  const jobsOf = (me: { is_admin: boolean; permissions: string[] }) =>
    render(createElement(BackupJobs), (c) => {
      c.setQueryData(meKey, { user: { id: 2, username: 'ops', ...me } });
      c.setQueryData([...backupsKey, 'jobs', { state: '', kind: '', page: 1, perPage: 10 }], { total: 1, page: 1, per_page: 10, jobs: [job(41, 'dead')] });
    });

  it('lists backup jobs to ManageBackups alone, without retry or cancel; with ManageJobs they are there', () => {
    const backupsOnly = jobsOf({ is_admin: false, permissions: ['ManageBackups'] });
    expect(backupsOnly).toContain('#41');
    expect(backupsOnly).toContain('BACKUP_REPO_UNAVAILABLE');
    expect(backupsOnly).not.toContain('aria-label="Retry job #41"');
    expect(backupsOnly).toContain('needs ManageJobs');
    const withJobs = jobsOf({ is_admin: false, permissions: ['ManageBackups', 'ManageJobs'] });
    expect(withJobs).toContain('aria-label="Retry job #41"');
    expect(withJobs).not.toContain('needs ManageJobs');
  });
});

describe('the Backups page', () => {
  it('says how to start when no repository is configured', () => {
    const html = render(createElement(BackupsDashboard), (c) => c.setQueryData([...backupsKey, 'repositories'], { repositories: [] }));
    expect(html).toContain('No backup repositories yet');
    expect(html).toContain('Add repository');
    expect(html).toContain('Backup jobs');
  });

  it('opens the first repository: snapshots empty state, recovery points, verify, retention with its summary', () => {
    const html = render(createElement(BackupsDashboard), (c) => {
      c.setQueryData([...backupsKey, 'repositories'], { repositories: [repo('nightly', { snapshot_count: 0 }), repo('second')] });
      c.setQueryData([...backupsKey, 'snapshots', 'nightly', { page: 1, perPage: 20 }], { snapshots: [], total: 0 });
    });
    expect(html).toContain('data-repository="nightly"');
    expect(html).toContain('No snapshots yet');
    expect(html).toContain('Recovery points');
    expect(html).toContain('Verify all data');
    expect(html).toContain('Retention: last 7 · schedule: ');
    expect(html).toContain('aria-label="Retention policy"');
    expect(html).toContain('2 repositories · 600 MiB stored');
  });
});
