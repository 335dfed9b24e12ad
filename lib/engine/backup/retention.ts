/**
 * Retention (issue 11 §3): which snapshots a policy keeps. Pure: no repository, no clock of its own.
 *
 * restic's `forget` semantics, per group: registry snapshots form one group, package snapshots one
 * group per name@version (each version's backups are thinned on their own; the last backup of an
 * old version is never dropped because newer versions were backed up). Inside a group, newest
 * first, every rule is applied to every snapshot; a snapshot is kept when at least one rule keeps it.
 * - keepLast N: the N newest.
 * - keepWithin d: taken at or after `now - d` (restic measures from the newest snapshot; we measure
 *   from `now` so a repository whose backups stopped still ages out what the policy says).
 * - keepDaily/Weekly/Monthly/Yearly N: the newest snapshot of each of the N newest calendar
 *   days / ISO-8601 weeks / months / years (UTC) that have snapshots.
 * - keepTags: every snapshot holding one of the tags.
 * A count of -1 means unlimited (as in restic). Recovery points are exempt: always kept, and they
 * take no place in the counts. An empty policy keeps everything.
 */
import { AppError } from '../errors';
import type { RetentionDecision, RetentionPolicy, Snapshot } from './types';

export type RetentionCandidate = Pick<Snapshot, 'id' | 'time' | 'tags' | 'recoveryPoint' | 'kind' | 'package'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNIT_MS: Record<string, number> = { h: HOUR, d: DAY, w: 7 * DAY, m: 30 * DAY, y: 365 * DAY };
const DURATION_RE = /^(\d+[hdwmy])+$/;

/** `36h`, `7d`, `2w`, `6m` (30 days), `1y` (365 days), or a sum like `1y6m` → milliseconds. */
export function parseRetentionDuration(s: string): number {
  const text = s.trim();
  if (!DURATION_RE.test(text)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${s}" is not a duration: use a whole number and a unit h, d, w, m (30 days) or y (365 days), like 36h, 7d, 2w, 6m, 1y`,
      { field: 'keepWithin' },
    );
  }
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([hdwmy])/g)) ms += Number(n) * UNIT_MS[unit];
  if (ms <= 0) throw new AppError('INVALID_INPUT', `"${s}" is not a duration: it must be longer than zero`, { field: 'keepWithin' });
  return ms;
}

type Bucket = { reason: string; count: number; key: (time: number, index: number) => string | number };

const COUNT_FIELDS = ['keepLast', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const;

/** True when the policy names no rule at all, zero counts included (it then keeps everything). */
export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  return COUNT_FIELDS.every((f) => !policy[f]) && !policy.keepWithin && !(policy.keepTags?.length);
}

function checkCounts(policy: RetentionPolicy): void {
  for (const f of COUNT_FIELDS) {
    const n = policy[f];
    if (n != null && (!Number.isInteger(n) || n < -1)) {
      throw new AppError('INVALID_INPUT', `${f} must be a whole number ≥ 0 (or -1 for unlimited), not ${n}`, { field: f });
    }
  }
}

/** ISO-8601 week of a UTC time as year*100 + week (the year is the ISO week-numbering year). */
export function isoWeekKey(time: number): number {
  const d = new Date(time);
  const day = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  // The Thursday of this week decides the year.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - day);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return year * 100 + week;
}

function dayKey(time: number): number {
  const d = new Date(time);
  return d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function monthKey(time: number): number {
  const d = new Date(time);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

function buckets(policy: RetentionPolicy): Bucket[] {
  const out: Bucket[] = [];
  const add = (count: number | undefined, reason: string, key: Bucket['key']) => {
    if (count != null && count !== 0) out.push({ reason, count, key });
  };
  add(policy.keepLast, 'last', (_t, i) => i);
  add(policy.keepDaily, 'daily', dayKey);
  add(policy.keepWeekly, 'weekly', isoWeekKey);
  add(policy.keepMonthly, 'monthly', monthKey);
  add(policy.keepYearly, 'yearly', (t) => new Date(t).getUTCFullYear());
  return out;
}

/** The retention group of a snapshot: `registry`, or `package:<name>@<version>`. */
export function retentionGroup(s: Pick<Snapshot, 'kind' | 'package'>): string {
  if (s.kind === 'package' && s.package) return `package:${s.package.name}@${s.package.version}`;
  return s.kind;
}

/** One decision per snapshot, oldest first (ties by id). */
export function selectSnapshots(snapshots: RetentionCandidate[], policy: RetentionPolicy, now: number): RetentionDecision[] {
  checkCounts(policy);
  const withinMs = policy.keepWithin ? parseRetentionDuration(policy.keepWithin) : null;
  const empty = isEmptyPolicy(policy);
  const tags = new Set(policy.keepTags ?? []);
  const decisions = new Map<string, RetentionDecision>();

  const groups = new Map<string, RetentionCandidate[]>();
  for (const s of snapshots) {
    if (s.recoveryPoint) {
      decisions.set(s.id, { id: s.id, time: s.time, keep: true, reasons: ['recovery point'] });
      continue;
    }
    if (empty) {
      decisions.set(s.id, { id: s.id, time: s.time, keep: true, reasons: ['no policy: keeps everything'] });
      continue;
    }
    const key = retentionGroup(s);
    const list = groups.get(key) ?? [];
    list.push(s);
    groups.set(key, list);
  }

  for (const list of groups.values()) {
    list.sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1)); // newest first
    const rules = buckets(policy);
    const last = new Map<Bucket, string | number>();
    list.forEach((s, index) => {
      const reasons: string[] = [];
      for (const t of s.tags) if (tags.has(t)) reasons.push(`tag ${t}`);
      if (withinMs != null && s.time >= now - withinMs) reasons.push(`within ${policy.keepWithin!.trim()}`);
      for (const b of rules) {
        if (b.count === 0) continue;
        const k = b.key(s.time, index);
        if (last.has(b) && last.get(b) === k) continue;
        last.set(b, k);
        if (b.count > 0) b.count--;
        reasons.push(b.reason);
      }
      decisions.set(s.id, { id: s.id, time: s.time, keep: reasons.length > 0, reasons });
    });
  }

  return [...decisions.values()].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
