import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [200_636, '196 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
    [10 * 1024 ** 3, '10 GiB'],
    [3 * 1024 ** 5, '3.0 PiB'],
  ])('%d bytes → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });
});
