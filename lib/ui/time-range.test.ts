import { describe, expect, it } from 'vitest';
import { chartStep, formatSpan, parseRange, rangeBounds, rangeSearch } from './time-range';

const params = (s: string) => new URLSearchParams(s);

describe('dashboard time range in the URL', () => {
  it.each([
    ['', { kind: 'preset', id: '24h' }],
    ['range=7d', { kind: 'preset', id: '7d' }],
    ['range=2y', { kind: 'preset', id: '24h' }],
    ['from=1000&to=5000', { kind: 'custom', from: 1000, to: 5000 }],
    ['from=5000&to=1000', { kind: 'preset', id: '24h' }],
    ['from=abc&to=5000&range=1h', { kind: 'preset', id: '1h' }],
  ])('?%s', (search, expected) => expect(parseRange(params(search))).toEqual(expected));

  it('round-trips through the search string and resolves presets against now', () => {
    expect(rangeSearch({ kind: 'preset', id: '24h' })).toBe('');
    expect(rangeSearch({ kind: 'preset', id: '1h' })).toBe('?range=1h');
    expect(parseRange(params(rangeSearch({ kind: 'custom', from: 1, to: 2 }).slice(1)))).toEqual({ kind: 'custom', from: 1, to: 2 });
    expect(rangeBounds({ kind: 'preset', id: '1h' }, 10_000_000)).toEqual({ from: 10_000_000 - 3_600_000, to: 10_000_000 });
  });
});

describe('chartStep', () => {
  it('gives about 120 points in whole minutes, never under a minute', () => {
    expect(chartStep(3_600_000)).toBe(60_000);
    expect(chartStep(86_400_000)).toBe(720_000);
    expect(chartStep(7 * 86_400_000)).toBe(84 * 60_000);
    expect(chartStep(1_000)).toBe(60_000);
  });
});

describe('formatSpan', () => {
  it.each([
    [300_000, '5 min'],
    [84 * 60_000, '84 min'],
    [360 * 60_000, '6 h'],
    [7_200_000, '2 h'],
    [86_400_000, '1 d'],
    [7 * 86_400_000, '7 d'],
    [90_000, '90 s'],
    [1_500, '2 s'],
  ])('%i ms is %s', (ms, label) => expect(formatSpan(ms)).toBe(label));
});
