/**
 * The backups API over real HTTP, on real repositories in temp folders (and one on s3rver):
 * add (init / attach) with every refusal storing nothing, backup / verify / restore / forget /
 * prune jobs run by a manual worker, the snapshot cache, metrics, schedules; secrets and the
 * password never leave.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { drainBackupJobs } from '@/lib/engine/backup/server/test-support/drain-backup-jobs';
import { openRepoBackend } from '@/lib/engine/backup/repo/open-backend';
import { initRepository, openRepository } from '@/lib/engine/backup/repo/repository';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { createRole } from '@/lib/engine/access/roles';
import { createSqliteQueue } from '@/lib/engine/jobs/sqlite-queue';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';
import { collectOutput } from '../test-support/collect-output';
import { jsonApi } from '../test-support/json-api';
import { parsePromText, sampleValue } from '../test-support/promtool';

let t: ApiTestServer;
let s3: S3rverHandle;
let dir: string;
let admin: string;
let viewer: string;
/** Holds ManageBackups and nothing else (no ManageJobs). */
let backupOps: string;
const stderr: string[] = [];
const stdout: string[] = [];

// Values that must never appear in a response, an audit row or a log line.
const PASSWORD = 'correct-horse-battery-never-shown';
const S3_SECRET = 'S3-SECRET-never-shown-0123456789';

const { api, responses } = jsonApi(() => t.url, () => admin);

const R = '/backups/repositories';
const pwFile = () => path.join(dir, 'password');
const local = (name: string) => ({ type: 'local', path: path.join(dir, name) });
const jobRow = (id: number) =>
  t.engine.db.$client.prepare('SELECT state, last_error, result, schedule_name FROM jobs WHERE id = ?').get(id) as {
    state: string;
    last_error: string | null;
    result: string | null;
    schedule_name: string | null;
  };
const resultOf = (id: number) => JSON.parse(jobRow(id).result!);
const repoCount = () => t.engine.db.$client.prepare('SELECT count(*) FROM backup_repositories').pluck().get() as number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-backups-api-'));
  await writeFile(pwFile(), `${PASSWORD}\n`);
  s3 = await startS3rver();
  t = await startApiTestServer();
  admin = (await t.user('root', ['admin'])).token;
  viewer = (await t.user('vi', ['viewer'])).token;
  createRole(t.engine, { name: 'backup-ops', permissions: ['ManageBackups'] });
  backupOps = (await t.user('bops', ['backup-ops'])).token;
  await publishSample(t.engine, 'resnet', '1.0.0');
  collectOutput(stderr, stdout);
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('repositories', () => {
  it('adds (init) a repository: 201, its config id kept, the password source shown, never the password; no-store', async () => {
    const res = await api('POST', R, { body: { id: 'main', description: 'nightly', backend: local('main'), password_source: { type: 'file', path: pwFile() }, init: true } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.repository).toMatchObject({
      id: 'main',
      description: 'nightly',
      backend: local('main'),
      password_source: { type: 'file', path: pwFile() },
      repo_uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      schedule_cron: null,
      retention: null,
      snapshot_count: 0,
      logical_bytes: 0,
      last_success_at: null,
    });
    expect(existsSync(path.join(dir, 'main', 'config'))).toBe(true);
    const list = await api('GET', R);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.json.repositories.map((r: { id: string }) => r.id)).toEqual(['main']);
  });

  it('refuses a wrong password, a missing or empty password, an unusable place, an existing id or place, with nothing stored', async () => {
    const other = path.join(dir, 'other');
    await initRepository(openRepoBackend({ type: 'local', path: other }), 'another password');
    const wrong = path.join(dir, 'wrong-password');
    await writeFile(wrong, 'not it\n');
    const empty = path.join(dir, 'empty-password');
    await writeFile(empty, '\n');
    await writeFile(path.join(dir, 'a-file'), 'x');
    const add = (body: Record<string, unknown>) =>
      api('POST', R, { body: { id: 'x', backend: { type: 'local', path: other }, password_source: { type: 'file', path: pwFile() }, init: false, ...body } });
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ password_source: { type: 'file', path: wrong } }, 422, 'BACKUP_WRONG_PASSWORD', /./],
      [{ password_source: { type: 'file', path: path.join(dir, 'nope') } }, 422, 'BACKUP_PASSWORD_UNAVAILABLE', /does not exist/],
      [{ password_source: { type: 'file', path: empty } }, 422, 'BACKUP_PASSWORD_UNAVAILABLE', /is empty/],
      [{ password_source: { type: 'env', name: 'TORSH_BACKUP_PASSWORD_UNSET_IN_TESTS' } }, 422, 'BACKUP_PASSWORD_UNAVAILABLE', /not set/],
      [{ backend: local('empty-folder') }, 404, 'BACKUP_REPO_NOT_FOUND', /./],
      [{ init: true }, 409, 'BACKUP_REPO_EXISTS', /./],
      [{ init: true, backend: { type: 'local', path: path.join(dir, 'a-file', 'repo') } }, 422, 'BACKUP_REPO_UNAVAILABLE', /./],
      [{ init: true, backend: { type: 'local', path: path.join(t.engine.dataDir, 'inside') } }, 400, 'INVALID_INPUT', /data directory/],
      [{ id: 'main', init: true, backend: local('elsewhere') }, 409, 'BACKUP_REPO_EXISTS', /already configured/],
      [{ id: 'again', init: true, backend: local('main/sub') }, 409, 'BACKUP_REPO_EXISTS', /"main" is already configured there/],
      [{ password_source: { type: 'env', name: 'AWS_SECRET_ACCESS_KEY' } }, 400, 'INVALID_INPUT', /TORSH_BACKUP_PASSWORD/],
      [{ password_source: { type: 'file', path: 'relative' } }, 400, 'INVALID_INPUT', /absolute/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await add(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error, JSON.stringify(body)).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    expect(repoCount()).toBe(1);
    expect(existsSync(path.join(dir, 'empty-folder', 'config'))).toBe(false);
  });

  it('a viewer gets 403 on every backup route, anonymous 401', async () => {
    for (const [method, p] of [
      ['GET', R],
      ['POST', R],
      ['GET', `${R}/main/snapshots`],
      ['POST', `${R}/main/snapshots`],
      ['POST', `${R}/main/verify`],
      ['POST', `${R}/main/retention/preview`],
      ['DELETE', `${R}/main`],
      ['GET', '/backups/jobs'],
      ['GET', '/backups/jobs/1'],
    ]) {
      expect((await api(method, p, { token: viewer, body: method === 'POST' ? {} : undefined })).status, `${method} ${p}`).toBe(403);
      expect((await api(method, p, { token: null })).status, `${method} ${p}`).toBe(401);
    }
    expect(repoCount()).toBe(1);
  });
});

describe('jobs', () => {
  let first: string;
  let verifyJob: number;

  it('a backup job: 202 {job}; once run, the snapshot is listed with sizes and the repository with its totals', async () => {
    const res = await api('POST', `${R}/main/snapshots`, { body: { tags: ['manual'], description: 'first' } });
    expect(res.status).toBe(202);
    expect(res.json.job).toMatchObject({ kind: 'backup.create', state: 'queued' });
    await drainBackupJobs(t.engine);
    expect(jobRow(res.json.job.id).state).toBe('succeeded');
    const snaps = await api('GET', `${R}/main/snapshots`);
    expect(snaps.json.total).toBe(1);
    const s = snaps.json.snapshots[0];
    expect(s).toMatchObject({ kind: 'registry', tags: ['manual'], description: 'first', recovery_point: null, package: null });
    expect(s.short_id).toBe(s.id.slice(0, 8));
    expect(s.logical_bytes).toBeGreaterThan(0);
    expect(s.new_bytes).toBeGreaterThan(0);
    expect(s.file_count).toBeGreaterThan(1);
    expect(resultOf(res.json.job.id).snapshot).toBe(s.id);
    first = s.id;
    const repo = (await api('GET', R)).json.repositories[0];
    expect(repo).toMatchObject({ snapshot_count: 1, logical_bytes: s.logical_bytes, last_error: null });
    expect(repo.last_success_at).toBeGreaterThan(0);
    expect(repo.stored_bytes).toBeGreaterThan(0);
    expect(repo.dedup_ratio).toBeCloseTo(s.logical_bytes / repo.stored_bytes);
  }, 60_000);

  it('a second backup (a recovery point) stores little: its dedup ratio is high, listed newest first', async () => {
    const res = await api('POST', `${R}/main/snapshots`, { body: { recovery_point: { name: 'before upgrade', description: 'v2 rollout' } } });
    await drainBackupJobs(t.engine);
    expect(jobRow(res.json.job.id).state).toBe('succeeded');
    const { snapshots, total } = (await api('GET', `${R}/main/snapshots?limit=1`)).json;
    expect(total).toBe(2);
    expect(snapshots).toHaveLength(1);
    const s = snapshots[0];
    expect(s.recovery_point).toEqual({ name: 'before upgrade', description: 'v2 rollout' });
    expect(s.new_bytes).toBeLessThan(s.logical_bytes / 2);
    expect(s.dedup_ratio).toBeGreaterThan(2);
    expect((await api('GET', `${R}/main/snapshots?limit=1&offset=1`)).json.snapshots[0].id).toBe(first);
  }, 60_000);

  it('recovery_points=only lists the recovery points alone, exclude the rest; total counts what the filter keeps', async () => {
    const only = await api('GET', `${R}/main/snapshots?recovery_points=only`);
    expect(only.status).toBe(200);
    expect(only.headers.get('cache-control')).toBe('no-store');
    expect(only.json.total).toBe(1);
    expect(only.json.snapshots.map((s: { recovery_point: { name: string } | null }) => s.recovery_point?.name)).toEqual(['before upgrade']);
    const rest = await api('GET', `${R}/main/snapshots?recovery_points=exclude`);
    expect(rest.json).toMatchObject({ total: 1, snapshots: [{ id: first, recovery_point: null }] });
    expect((await api('GET', `${R}/main/snapshots?recovery_points=only&offset=1`)).json).toEqual({ snapshots: [], total: 1 });
    expect((await api('GET', `${R}/main/snapshots`)).json.total).toBe(2);
    const bad = await api('GET', `${R}/main/snapshots?recovery_points=some`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
  });

  it('records backup.run and the size gauges under b:<id>, and exports them on /metrics', async () => {
    t.engine.metrics.flush();
    const now = Date.now();
    const runs = await api('GET', `/metrics/series?series=backup.run&dim=b:main&from=${now - 3_600_000}&to=${now + 60_000}`);
    expect(runs.status).toBe(200);
    expect(runs.json.points.reduce((n: number, p: { ok: number }) => n + p.ok, 0)).toBe(2);
    const bytes = await api('GET', `/metrics/series?series=backup.repo_bytes&dim=b:main&from=${now - 3_600_000}&to=${now + 60_000}`);
    expect(bytes.json.points.some((p: { max: number | null }) => (p.max ?? 0) > 0)).toBe(true);
    expect((await api('GET', `/metrics/series?series=backup.run&dim=b:main&from=${now - 3_600_000}&to=${now}`, { token: viewer })).status).toBe(403);
    const text = await (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
    const samples = parsePromText(text);
    expect(sampleValue(samples, 'torsh_backup_last_success_timestamp_seconds', { repository: 'main' })).toBeGreaterThan(now / 1000 - 3600);
    expect(sampleValue(samples, 'torsh_backup_repository_bytes', { repository: 'main' })).toBeGreaterThan(0);
  });

  it('verify (read data): the job result is the report', async () => {
    const res = await api('POST', `${R}/main/verify`, { body: { read_data: true } });
    expect(res.status).toBe(202);
    await drainBackupJobs(t.engine);
    expect(resultOf(res.json.job.id)).toMatchObject({ mode: 'read-data', ok: true, snapshots: 2, damaged: [] });
    expect(resultOf(res.json.job.id).chunksChecked).toBeGreaterThan(0);
    verifyJob = res.json.job.id;
  }, 60_000);

  it('ManageBackups without ManageJobs: lists only backup jobs, reads a verify job with its report; another kind is 404 as a missing job', async () => {
    expect((await api('GET', '/jobs', { token: backupOps })).status).toBe(403);
    const other = createSqliteQueue(t.engine).enqueue('mirror.sync', { mirror: 'x' }, { runAt: Date.now() + 365 * 86_400_000 }).id;
    const list = await api('GET', '/backups/jobs?per_page=100', { token: backupOps });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const allBackup = t.engine.db.$client.prepare(`SELECT count(*) FROM jobs WHERE kind LIKE 'backup.%'`).pluck().get() as number;
    expect(list.json).toMatchObject({ total: allBackup, page: 1, per_page: 100 });
    expect(list.json.jobs.length).toBe(allBackup);
    expect(list.json.jobs.every((j: { kind: string }) => j.kind.startsWith('backup.'))).toBe(true);
    expect(list.json.jobs.map((j: { id: number }) => j.id)).not.toContain(other);
    // Newest first, the /api/v1/jobs shape.
    const ids = list.json.jobs.map((j: { id: number }) => j.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    const verifies = await api('GET', '/backups/jobs?kind=backup.verify&state=succeeded&per_page=1', { token: backupOps });
    expect(verifies.json).toMatchObject({ total: 1, per_page: 1, jobs: [{ id: verifyJob, kind: 'backup.verify', state: 'succeeded' }] });
    expect((await api('GET', '/backups/jobs?kind=mirror.sync', { token: backupOps })).status).toBe(400);
    expect((await api('GET', '/backups/jobs?kind=backup.*', { token: backupOps })).status).toBe(400);

    const one = await api('GET', `/backups/jobs/${verifyJob}`, { token: backupOps });
    expect(one.status).toBe(200);
    expect(one.headers.get('cache-control')).toBe('no-store');
    expect(one.json).toMatchObject({ id: verifyJob, kind: 'backup.verify', state: 'succeeded', result: { mode: 'read-data', ok: true, damaged: [] } });
    const hidden = await api('GET', `/backups/jobs/${other}`, { token: backupOps });
    const missing = await api('GET', '/backups/jobs/999999', { token: backupOps });
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.code).toBe('JOB_NOT_FOUND');
    expect(hidden.text).not.toContain('mirror');
    expect(hidden.json.error.message).toBe(missing.json.error.message.replace('999999', String(other)));
    t.engine.db.$client.prepare('DELETE FROM jobs WHERE id = ?').run(other);
  }, 60_000);

  it('a package snapshot, then restores: the registry into a new directory; the package into this registry is a conflict', async () => {
    expect((await api('POST', `${R}/main/snapshots`, { body: { package: { name: 'resnet', version: '9.9.9' } } })).json.error.code).toBe('VERSION_NOT_FOUND');
    const pkg = await api('POST', `${R}/main/snapshots`, { body: { package: { name: 'resnet', version: '1.0.0' }, tags: ['pkg'] } });
    await drainBackupJobs(t.engine);
    expect(resultOf(pkg.json.job.id)).toMatchObject({ kind: 'package' });
    const into = path.join(dir, 'restored');
    const res = await api('POST', `${R}/main/restore`, { body: { snapshot: first.slice(0, 12), target: { type: 'directory', path: into } } });
    expect(res.status).toBe(202);
    await drainBackupJobs(t.engine);
    expect(jobRow(res.json.job.id)).toMatchObject({ state: 'succeeded' });
    expect(resultOf(res.json.job.id)).toMatchObject({ target: 'directory', snapshot: first });
    expect(await readdir(into)).toContain('torsh.db');
    // Not into a folder that is not empty, nor into the live data directory.
    expect((await api('POST', `${R}/main/restore`, { body: { snapshot: first, target: { type: 'directory', path: into } } })).json.error.code).toBe('BACKUP_RESTORE_TARGET_NOT_EMPTY');
    expect((await api('POST', `${R}/main/restore`, { body: { snapshot: first, target: { type: 'directory', path: path.join(t.engine.dataDir, 'x') } } })).status).toBe(400);
    const conflict = await api('POST', `${R}/main/restore`, { body: { snapshot: resultOf(pkg.json.job.id).snapshot, target: { type: 'package' } } });
    await drainBackupJobs(t.engine);
    expect(jobRow(conflict.json.job.id), JSON.stringify(jobRow(conflict.json.job.id))).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/already published/) });
  }, 60_000);

  it('retention preview: which go and what prune frees; forget + prune by the same policy frees that much', async () => {
    const policy = { keep_tags: ['pkg'] };
    const before = (await api('GET', R)).json.repositories[0];
    const preview = await api('POST', `${R}/main/retention/preview`, { body: { policy } });
    expect(preview.status).toBe(200);
    expect(preview.json.decisions).toHaveLength(3);
    // The recovery point is exempt, the package snapshot is tagged: only the first goes.
    expect(preview.json.remove, JSON.stringify(preview.json)).toEqual([first]);
    expect(preview.json.freed_bytes).toBeGreaterThanOrEqual(0);
    expect(preview.json).toHaveProperty('freed_chunks');
    expect((await api('POST', `${R}/main/retention/preview`, { body: { policy: { keep_within: 'soon' } } })).status).toBe(400);
    // A dry run is a read: previews (as the page sends while a policy is typed) leave no audit row.
    expect(t.engine.db.$client.prepare(`SELECT count(*) FROM audit_events WHERE action = 'backup.retention.preview'`).pluck().get()).toBe(0);
    const forget = await api('POST', `${R}/main/forget`, { body: { policy, prune: true } });
    expect(forget.status).toBe(202);
    await drainBackupJobs(t.engine);
    const result = resultOf(forget.json.job.id);
    expect(result.removed).toEqual([first]);
    expect(result.prune.freedBytes).toBe(preview.json.freed_bytes);
    const after = (await api('GET', R)).json.repositories[0];
    expect(after.snapshot_count).toBe(2);
    expect(after.stored_bytes).toBeLessThanOrEqual(before.stored_bytes - preview.json.freed_bytes);
    const prune = await api('POST', `${R}/main/prune`);
    await drainBackupJobs(t.engine);
    expect(resultOf(prune.json.job.id)).toMatchObject({ removedChunks: 0 });
  }, 60_000);

  it('a lock held elsewhere fails the backup attempt (retried later); a missing password file fails it with the reason, recorded', async () => {
    const repo = await openRepository(openRepoBackend({ type: 'local', path: path.join(dir, 'main') }), PASSWORD);
    const lock = await repo.lock('exclusive', 'test holds it');
    const locked = await api('POST', `${R}/main/snapshots`, { body: {} });
    await drainBackupJobs(t.engine);
    await lock.release();
    expect(jobRow(locked.json.job.id)).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/lock/i) });
    t.engine.db.$client.prepare('DELETE FROM jobs WHERE id = ?').run(locked.json.job.id);

    await rm(pwFile());
    const res = await api('POST', `${R}/main/snapshots`, { body: {} });
    await drainBackupJobs(t.engine);
    await writeFile(pwFile(), `${PASSWORD}\n`);
    expect(jobRow(res.json.job.id)).toMatchObject({ state: 'failed', last_error: expect.stringMatching(/password file .* does not exist/) });
    expect((await api('GET', R)).json.repositories[0].last_error).toMatch(/does not exist/);
    t.engine.db.$client.prepare('DELETE FROM jobs WHERE id = ?').run(res.json.job.id);
    t.engine.metrics.flush();
    const failed = t.engine.db.$client.prepare(`SELECT count(*) FROM metric_events WHERE series = 'backup.run' AND ok = 0`).pluck().get();
    expect(failed).toBe(2);
  }, 60_000);

  it('a schedule: saved with the repository as a queue schedule; a scheduled run is followed by forget + prune by its retention', async () => {
    const patch = await api('PATCH', `${R}/main`, { body: { schedule_cron: '0 3 * * *', schedule_tags: ['nightly'], retention: { keep_last: 1 } } });
    expect(patch.status).toBe(200);
    expect(patch.json.repository).toMatchObject({ schedule_cron: '0 3 * * *', schedule_tags: ['nightly'], retention: { keep_last: 1 } });
    const schedule = () => t.engine.db.$client.prepare(`SELECT kind, cron, payload FROM job_schedules WHERE name = 'backup:main'`).get() as { kind: string; cron: string; payload: string } | undefined;
    expect(schedule()).toMatchObject({ kind: 'backup.create', cron: '0 3 * * *' });
    expect(JSON.parse(schedule()!.payload)).toMatchObject({ repo: 'main', tags: ['nightly'] });
    expect((await api('PATCH', `${R}/main`, { body: { schedule_cron: 'every night' } })).json.error).toMatchObject({ code: 'INVALID_INPUT' });

    const manual = await api('POST', `${R}/main/snapshots`, { body: { tags: ['manual'] } });
    await drainBackupJobs(t.engine);
    const older = resultOf(manual.json.job.id).snapshot;
    t.engine.db.$client.prepare(`UPDATE job_schedules SET next_run_at = 0 WHERE name = 'backup:main'`).run();
    await drainBackupJobs(t.engine);
    const jobs = t.engine.db.$client.prepare(`SELECT kind, state, schedule_name FROM jobs WHERE kind IN ('backup.create', 'backup.forget') ORDER BY id DESC LIMIT 2`).all();
    expect(jobs).toEqual([
      { kind: 'backup.forget', state: 'succeeded', schedule_name: null },
      { kind: 'backup.create', state: 'succeeded', schedule_name: 'backup:main' },
    ]);
    const snaps = (await api('GET', `${R}/main/snapshots`)).json.snapshots as { id: string; tags: string[]; kind: string; recovery_point: unknown }[];
    // keep_last 1 of the registry snapshots (the scheduled one) and of the package's; the recovery point is exempt; the manual one went.
    expect(snaps.map((s) => s.id)).not.toContain(older);
    expect(snaps.map((s) => [s.kind, s.tags, s.recovery_point !== null])).toEqual([
      ['registry', ['nightly'], false],
      ['package', ['pkg'], false],
      ['registry', [], true],
    ]);

    await api('PATCH', `${R}/main`, { body: { schedule_cron: null, retention: null } });
    expect(schedule()).toBeUndefined();
  }, 60_000);

  it('an S3 repository: its secret is stored apart, never returned', async () => {
    const res = await api('POST', R, {
      body: {
        id: 'offsite',
        backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, prefix: 'backups', access_key_id: s3.credentials.accessKeyId, secret_access_key: S3_SECRET },
        password_source: { type: 'file', path: pwFile() },
        init: true,
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.repository.backend).toMatchObject({ type: 's3', bucket: s3.bucket, prefix: 'backups/', access_key_id: s3.credentials.accessKeyId });
    const bad = await api('POST', R, {
      body: {
        id: 'offsite-2',
        backend: { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, prefix: 'other', access_key_id: 'WRONG', secret_access_key: S3_SECRET },
        password_source: { type: 'file', path: pwFile() },
        init: true,
      },
    });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.json.error.code).toBe('BACKUP_REPO_UNAVAILABLE');
    expect(repoCount()).toBe(2);
    const b = await api('POST', `${R}/offsite/snapshots`, { body: {} });
    await drainBackupJobs(t.engine);
    expect(jobRow(b.json.job.id).state).toBe('succeeded');
  }, 60_000);

  it('secrets and the password appear in no response, audit row or log line', async () => {
    const audit = JSON.stringify(t.engine.db.$client.prepare(`SELECT * FROM audit_events WHERE action LIKE 'backup.%'`).all());
    expect(audit).toContain('backup.repository.add');
    const jobs = JSON.stringify(t.engine.db.$client.prepare(`SELECT * FROM jobs`).all());
    for (const secret of [PASSWORD, S3_SECRET]) {
      for (const [where, text] of [
        ['responses', responses.join('\n')],
        ['audit', audit],
        ['jobs', jobs],
        ['stderr', stderr.join('')],
        ['stdout', stdout.join('')],
      ]) {
        expect(text.includes(secret), `${where} holds a secret`).toBe(false);
      }
    }
  });

  it('removing a repository: 204, its schedule and cache go, its data stays', async () => {
    const res = await api('DELETE', `${R}/offsite`);
    expect(res.status).toBe(204);
    expect((await api('GET', `${R}/offsite/snapshots`)).status).toBe(404);
    expect(t.engine.db.$client.prepare(`SELECT count(*) FROM backup_snapshots WHERE repository_id = 'offsite'`).pluck().get()).toBe(0);
    expect((await api('GET', R)).json.repositories.map((r: { id: string }) => r.id)).toEqual(['main']);
  });
});

describe('another registry attaching the repository', () => {
  it('lists its snapshots at once and restores a package version into itself', async () => {
    await t.close();
    t = await startApiTestServer();
    admin = (await t.user('root2', ['admin'])).token;
    const res = await api('POST', R, { body: { id: 'main', backend: local('main'), password_source: { type: 'file', path: pwFile() }, init: false } });
    expect(res.status).toBe(201);
    expect(res.json.repository.snapshot_count).toBe(3);
    const snaps = (await api('GET', `${R}/main/snapshots`)).json.snapshots as { id: string; kind: string }[];
    const pkg = snaps.find((s) => s.kind === 'package')!;
    const restore = await api('POST', `${R}/main/restore`, { body: { snapshot: pkg.id, target: { type: 'package' } } });
    await drainBackupJobs(t.engine);
    expect(resultOf(restore.json.job.id)).toMatchObject({ target: 'package', name: 'resnet', version: '1.0.0' });
    expect((await api('GET', '/packages/resnet/1.0.0')).status).toBe(200);
  }, 60_000);
});
