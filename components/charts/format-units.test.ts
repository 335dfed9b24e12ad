import { describe, expect, it } from 'vitest';
import { changeRatio, formatMs, formatPercent, formatRatio, formatTick, formatUnit } from './format-units';

describe('chart units', () => {
  it.each([
    [0, '0 ms'],
    [0.25, '0.25 ms'],
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1234, '1.23 s'],
    [45_000, '45.0 s'],
    [150_000, '2.5 min'],
  ])('formatMs(%d) → %s', (ms, expected) => expect(formatMs(ms)).toBe(expected));

  it.each([
    [0, '0 %'],
    [0.0005, '0.05 %'],
    [0.025, '2.5 %'],
    [0.5, '50 %'],
    [1, '100 %'],
  ])('formatPercent(%d) → %s', (r, expected) => expect(formatPercent(r)).toBe(expected));

  it('formats by unit, with a dash for missing values', () => {
    expect(formatUnit(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatUnit(5 * 1024 ** 3, 'bytes')).toBe('5.0 GiB');
    expect(formatUnit(1234, 'count')).toBe('1,234');
    expect(formatUnit(null, 'ms')).toBe('—');
    expect(formatTick(12_500, 'count')).toBe('12.5K');
    expect(formatTick(3 * 1024 * 1024, 'bytes')).toBe('3.0 MiB');
  });

  it.each([
    [1, '1.00×'],
    [3.256, '3.26×'],
    [12.34, '12.3×'],
    [420.4, '420×'],
  ])('formatRatio(%d) → %s', (r, expected) => expect(formatRatio(r)).toBe(expected));

  it('computes the change against the period before', () => {
    expect(changeRatio(15, 10)).toBeCloseTo(0.5);
    expect(changeRatio(5, 10)).toBeCloseTo(-0.5);
    expect(changeRatio(0, 0)).toBe(0);
    expect(changeRatio(3, 0)).toBeNull();
  });
});
