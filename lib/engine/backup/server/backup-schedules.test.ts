import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertSchedule } from '../../jobs/schedules';
import { manualClock, tempEngine } from '../../test-support/temp-engine';
import { syncBackupSchedules } from './backup-schedules';
import { removeRepository, updateRepository } from './manage-repositories';
import { seedRepositoryRow } from './test-support/seed-repository';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine({}, { clock: manualClock(Date.UTC(2026, 10, 30, 12)).now });
});
afterEach(() => engine.cleanup());

const schedules = () => engine.db.$client.prepare(`SELECT name, kind, cron, payload, next_run_at FROM job_schedules WHERE name LIKE 'backup:%' ORDER BY name`).all() as {
  name: string;
  kind: string;
  cron: string;
  payload: string;
  next_run_at: number;
}[];

describe('backup schedules', () => {
  it('follow the repository row: set, changed, cleared, removed with it', () => {
    seedRepositoryRow(engine, 'main');
    updateRepository(engine, 'main', { schedule_cron: '0 2 * * *', schedule_tags: ['nightly'] });
    expect(schedules()).toEqual([
      { name: 'backup:main', kind: 'backup.create', cron: '0 2 * * *', payload: expect.any(String), next_run_at: Date.UTC(2026, 11, 1, 2) },
    ]);
    expect(JSON.parse(schedules()[0].payload)).toEqual({ repo: 'main', tags: ['nightly'], description: null, recovery_point: null, package: null });
    updateRepository(engine, 'main', { schedule_tags: ['daily'] });
    expect(JSON.parse(schedules()[0].payload).tags).toEqual(['daily']);
    updateRepository(engine, 'main', { schedule_cron: null });
    expect(schedules()).toEqual([]);
    updateRepository(engine, 'main', { schedule_cron: '30 1 * * 0' });
    removeRepository(engine, 'main');
    expect(schedules()).toEqual([]);
  });

  it('at worker start: every repository gets its schedule, schedules of removed ones go', () => {
    seedRepositoryRow(engine, 'kept');
    engine.db.$client.prepare(`UPDATE backup_repositories SET schedule_cron = '0 4 * * *' WHERE id = 'kept'`).run();
    upsertSchedule(engine, { name: 'backup:gone', cron: '0 1 * * *', kind: 'backup.create', payload: { repo: 'gone' } });
    syncBackupSchedules(engine);
    expect(schedules().map((s) => [s.name, s.cron])).toEqual([['backup:kept', '0 4 * * *']]);
  });

  it('refuses a bad cron or retention duration, changing nothing', () => {
    seedRepositoryRow(engine, 'main');
    expect(() => updateRepository(engine, 'main', { schedule_cron: 'nightly' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => updateRepository(engine, 'main', { retention: { keepWithin: '3 fortnights' } })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(schedules()).toEqual([]);
    expect(engine.db.$client.prepare(`SELECT schedule_cron, retention FROM backup_repositories`).get()).toEqual({ schedule_cron: null, retention: null });
  });
});
