import { describe, expect, it } from 'vitest';
import { parseSize } from './parse-size';

describe('parseSize', () => {
  it.each([
    ['10GB', 10e9],
    ['512MiB', 512 * 2 ** 20],
    ['1.5G', 1.5e9],
    ['1048576', 1048576],
    ['64 kb', 64e3],
  ])('%s → %d bytes', (text, bytes) => expect(parseSize(text, '--cache-size')).toBe(bytes));

  it.each(['', 'ten', '10XB', '-5GB', '0', '0GB'])('refuses %j, naming the flag', (text) => {
    expect(() => parseSize(text, '--cache-size')).toThrow(/--cache-size must be/);
  });
});
