/** Retention policies against fixed dates (UTC): each rule, GFS across month/year boundaries and ISO weeks. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { isoWeekKey, parseRetentionDuration, selectSnapshots, type RetentionCandidate } from './retention';
import type { RetentionPolicy } from './types';

const NOW = Date.parse('2026-11-30T12:00:00Z');

type Opts = { tags?: string[]; rp?: string; pkg?: string };

/** A snapshot named by its ISO time (the id is the time, so expectations read as dates). */
function snap(iso: string, opts: Opts = {}): RetentionCandidate {
  const [name, version] = opts.pkg?.split('@') ?? [];
  return {
    id: `${iso}${opts.pkg ? ` ${opts.pkg}` : ''}`,
    time: Date.parse(iso),
    tags: opts.tags ?? [],
    recoveryPoint: opts.rp ? { name: opts.rp, description: null } : null,
    kind: opts.pkg ? 'package' : 'registry',
    package: opts.pkg ? { name, version } : null,
  };
}

/** kept id → reasons, for the decisions that keep. */
function kept(snapshots: RetentionCandidate[], policy: RetentionPolicy, now = NOW): Record<string, string[]> {
  const decisions = selectSnapshots(snapshots, policy, now);
  expect(decisions.map((d) => d.id).sort()).toEqual(snapshots.map((s) => s.id).sort());
  for (const d of decisions) expect(d.keep).toBe(d.reasons.length > 0);
  return Object.fromEntries(decisions.filter((d) => d.keep).map((d) => [d.id, d.reasons]));
}

/** One snapshot a day at 02:00 UTC, from `from` to `to` inclusive (YYYY-MM-DD). */
function daily(from: string, to: string): RetentionCandidate[] {
  const out: RetentionCandidate[] = [];
  for (let t = Date.parse(`${from}T02:00:00Z`); t <= Date.parse(`${to}T02:00:00Z`); t += 86_400_000) {
    out.push(snap(new Date(t).toISOString()));
  }
  return out;
}

const at = (d: string) => `${d}T02:00:00.000Z`;

type Case = { name: string; snapshots: RetentionCandidate[]; policy: RetentionPolicy; now?: number; keep: Record<string, string[]> };

const cases: Case[] = [
  {
    name: 'keepLast keeps the N newest',
    snapshots: ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z', '2026-11-04T00:00:00Z'].map((t) => snap(t)),
    policy: { keepLast: 2 },
    keep: { '2026-11-03T00:00:00Z': ['last'], '2026-11-04T00:00:00Z': ['last'] },
  },
  {
    name: 'keepDaily keeps the newest of each of the N newest days that have snapshots',
    snapshots: [
      '2026-11-01T08:00:00Z',
      '2026-11-01T20:00:00Z',
      '2026-11-03T23:59:59Z', // the gap day (11-02) does not count
      '2026-11-04T00:00:00Z',
      '2026-11-04T12:00:00Z',
      '2026-11-04T18:00:00Z',
    ].map((t) => snap(t)),
    policy: { keepDaily: 3 },
    keep: { '2026-11-01T20:00:00Z': ['daily'], '2026-11-03T23:59:59Z': ['daily'], '2026-11-04T18:00:00Z': ['daily'] },
  },
  {
    name: 'keepWeekly uses ISO weeks: week 53 of 2026 spans the new year',
    snapshots: ['2026-12-28T10:00:00Z', '2027-01-03T10:00:00Z', '2027-01-04T10:00:00Z', '2027-01-10T10:00:00Z', '2027-01-11T10:00:00Z'].map(
      (t) => snap(t),
    ),
    policy: { keepWeekly: 3 },
    now: Date.parse('2027-01-12T00:00:00Z'),
    keep: { '2027-01-03T10:00:00Z': ['weekly'], '2027-01-10T10:00:00Z': ['weekly'], '2027-01-11T10:00:00Z': ['weekly'] },
  },
  {
    name: 'keepMonthly splits at midnight UTC on the first',
    snapshots: ['2026-01-10T00:00:00Z', '2026-01-31T23:59:59Z', '2026-02-01T00:00:00Z', '2026-02-20T00:00:00Z'].map((t) => snap(t)),
    policy: { keepMonthly: 2 },
    keep: { '2026-01-31T23:59:59Z': ['monthly'], '2026-02-20T00:00:00Z': ['monthly'] },
  },
  {
    name: 'keepYearly splits at the new year',
    snapshots: ['2024-06-01T00:00:00Z', '2024-12-31T23:00:00Z', '2025-01-01T01:00:00Z', '2025-07-01T00:00:00Z'].map((t) => snap(t)),
    policy: { keepYearly: 2 },
    keep: { '2024-12-31T23:00:00Z': ['yearly'], '2025-07-01T00:00:00Z': ['yearly'] },
  },
  {
    name: 'GFS: daily 7, weekly 4, monthly 12, yearly 3 over two years of daily backups',
    snapshots: daily('2025-01-01', '2026-11-30'),
    policy: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12, keepYearly: 3 },
    keep: {
      [at('2026-11-30')]: ['daily', 'weekly', 'monthly', 'yearly'], // Monday: ISO week 49 alone
      [at('2026-11-29')]: ['daily', 'weekly'], // Sunday closing week 48
      [at('2026-11-28')]: ['daily'],
      [at('2026-11-27')]: ['daily'],
      [at('2026-11-26')]: ['daily'],
      [at('2026-11-25')]: ['daily'],
      [at('2026-11-24')]: ['daily'],
      [at('2026-11-22')]: ['weekly'],
      [at('2026-11-15')]: ['weekly'],
      [at('2026-10-31')]: ['monthly'],
      [at('2026-09-30')]: ['monthly'],
      [at('2026-08-31')]: ['monthly'],
      [at('2026-07-31')]: ['monthly'],
      [at('2026-06-30')]: ['monthly'],
      [at('2026-05-31')]: ['monthly'],
      [at('2026-04-30')]: ['monthly'],
      [at('2026-03-31')]: ['monthly'],
      [at('2026-02-28')]: ['monthly'],
      [at('2026-01-31')]: ['monthly'],
      [at('2025-12-31')]: ['monthly', 'yearly'], // 2024 has no snapshots: yearly 3 finds two years
    },
  },
  {
    name: 'keepWithin counts back from now, inclusive',
    snapshots: ['2026-11-23T11:59:59Z', '2026-11-23T12:00:00Z', '2026-11-30T11:00:00Z'].map((t) => snap(t)),
    policy: { keepWithin: '7d' },
    keep: { '2026-11-23T12:00:00Z': ['within 7d'], '2026-11-30T11:00:00Z': ['within 7d'] },
  },
  {
    name: 'keepWithin measures from now, not from the newest snapshot: stopped backups age out',
    snapshots: ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'].map((t) => snap(t)),
    policy: { keepWithin: '36h' },
    keep: {},
  },
  {
    name: 'keepTags keeps every snapshot holding one of the tags, beside the other rules',
    snapshots: [
      snap('2026-11-01T00:00:00Z', { tags: ['release', 'nightly'] }),
      snap('2026-11-02T00:00:00Z', { tags: ['nightly'] }),
      snap('2026-11-03T00:00:00Z', { tags: ['pre-upgrade'] }),
      snap('2026-11-04T00:00:00Z'),
    ],
    policy: { keepTags: ['release', 'pre-upgrade'], keepLast: 1 },
    keep: {
      '2026-11-01T00:00:00Z': ['tag release'],
      '2026-11-03T00:00:00Z': ['tag pre-upgrade'],
      '2026-11-04T00:00:00Z': ['last'],
    },
  },
  {
    name: 'recovery points are always kept and take no place in the counts',
    snapshots: [snap('2026-11-01T00:00:00Z'), snap('2026-11-02T00:00:00Z'), snap('2026-11-03T00:00:00Z', { rp: 'before-upgrade' })],
    policy: { keepLast: 1 },
    keep: { '2026-11-02T00:00:00Z': ['last'], '2026-11-03T00:00:00Z': ['recovery point'] },
  },
  {
    name: 'registry snapshots and each package name@version are separate groups',
    snapshots: [
      snap('2026-11-01T00:00:00Z'),
      snap('2026-11-05T00:00:00Z'),
      snap('2026-11-02T00:00:00Z', { pkg: 'resnet@1.0.0' }),
      snap('2026-11-06T00:00:00Z', { pkg: 'resnet@1.0.0' }),
      snap('2026-11-03T00:00:00Z', { pkg: 'resnet@1.1.0' }),
      snap('2026-11-04T00:00:00Z', { pkg: 'bert@1.0.0' }),
    ],
    policy: { keepLast: 1 },
    keep: {
      '2026-11-05T00:00:00Z': ['last'],
      '2026-11-06T00:00:00Z resnet@1.0.0': ['last'],
      '2026-11-03T00:00:00Z resnet@1.1.0': ['last'],
      '2026-11-04T00:00:00Z bert@1.0.0': ['last'],
    },
  },
  {
    name: 'an empty policy (zero counts included) keeps everything and says so',
    snapshots: [snap('2026-11-01T00:00:00Z'), snap('2026-11-02T00:00:00Z', { rp: 'rp' })],
    policy: { keepLast: 0, keepTags: [] },
    keep: { '2026-11-01T00:00:00Z': ['no policy: keeps everything'], '2026-11-02T00:00:00Z': ['recovery point'] },
  },
  {
    name: 'a count of -1 is unlimited',
    snapshots: ['2026-11-01T00:00:00Z', '2026-11-01T05:00:00Z', '2026-11-02T00:00:00Z'].map((t) => snap(t)),
    policy: { keepDaily: -1 },
    keep: { '2026-11-01T05:00:00Z': ['daily'], '2026-11-02T00:00:00Z': ['daily'] },
  },
];

describe('selectSnapshots', () => {
  it.each(cases)('$name', ({ snapshots, policy, now, keep }) => {
    expect(kept(snapshots, policy, now)).toEqual(keep);
  });

  it('returns decisions oldest first whatever the input order', () => {
    const list = daily('2026-11-01', '2026-11-05').reverse();
    const decisions = selectSnapshots(list, { keepLast: 2 }, NOW);
    expect(decisions.map((d) => d.time)).toEqual([...list].map((s) => s.time).sort((a, b) => a - b));
    expect(decisions.map((d) => d.keep)).toEqual([false, false, false, true, true]);
  });

  it.each([{ keepLast: 1.5 }, { keepDaily: -2 }, { keepWithin: '7x' }])('refuses %j with INVALID_INPUT', (policy) => {
    expect(() => selectSnapshots([snap('2026-11-01T00:00:00Z')], policy, NOW)).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('parseRetentionDuration', () => {
  it.each([
    ['36h', 36 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['6m', 180 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['1y6m', 545 * 86_400_000],
    [' 12h ', 12 * 3_600_000],
  ])('%s', (text, ms) => {
    expect(parseRetentionDuration(text)).toBe(ms);
  });

  it.each(['', '7', 'd', '7x', '-1d', '1.5d', '0d', '7 d', '7D'])('refuses %j with a clear message', (text) => {
    let err: unknown;
    try {
      parseRetentionDuration(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_INPUT');
    expect((err as AppError).message).toMatch(/is not a duration/);
  });
});

describe('isoWeekKey', () => {
  it.each([
    ['2026-11-30T00:00:00Z', 202649],
    ['2026-12-28T00:00:00Z', 202653],
    ['2027-01-03T23:59:59Z', 202653],
    ['2027-01-04T00:00:00Z', 202701],
    ['2025-12-29T00:00:00Z', 202601],
    ['2024-12-30T00:00:00Z', 202501],
    ['2021-01-03T00:00:00Z', 202053],
  ])('%s → %i', (iso, key) => {
    expect(isoWeekKey(Date.parse(iso))).toBe(key);
  });
});
