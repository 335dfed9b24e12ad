import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime } from './format-time';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatRelativeTime', () => {
  it.each([
    [NOW - 3 * SECOND, 'just now'],
    [NOW - 30 * SECOND, '30 seconds ago'],
    [NOW - 5 * MINUTE, '5 minutes ago'],
    [NOW - 3 * HOUR, '3 hours ago'],
    [NOW - DAY, 'yesterday'],
    [NOW - 45 * DAY, 'last month'],
    [NOW - 800 * DAY, '2 years ago'],
  ])('%d → %s', (ms, expected) => {
    expect(formatRelativeTime(ms, NOW)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0.4, '0 s'],
    [45, '45 s'],
    [200, '3 min 20 s'],
    [7500, '2 h 5 min'],
  ])('%d s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
