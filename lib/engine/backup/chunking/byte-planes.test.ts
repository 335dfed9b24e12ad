import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { joinPlanes, planeEntropies, splitPlanes } from './byte-planes';

describe('byte planes', () => {
  it('plane j holds the bytes at positions ≡ j (mod 4) of the first 16·⌊n/16⌋ bytes, in order', () => {
    const data = Buffer.from(Array.from({ length: 37 }, (_, i) => i));
    const planes = splitPlanes(data);
    expect(planes.map((p) => [...p])).toEqual([
      [0, 4, 8, 12, 16, 20, 24, 28],
      [1, 5, 9, 13, 17, 21, 25, 29],
      [2, 6, 10, 14, 18, 22, 26, 30],
      [3, 7, 11, 15, 19, 23, 27, 31],
    ]);
    expect([...joinPlanes(planes)]).toEqual([...data.subarray(0, 32)]);
  });

  it('joins what it split, aligned or not', () => {
    const data = randomBytes(1_000_003);
    for (const view of [data.subarray(0, 1_000_000), data.subarray(1, 1_000_001)]) {
      expect(joinPlanes(splitPlanes(view)).equals(view.subarray(0, 16 * Math.floor(view.length / 16)))).toBe(true);
    }
  });

  it('measures each plane’s entropy', () => {
    const words = new Uint32Array(16_384).map(() => (0x3c << 24) | Math.floor(Math.random() * 0x1000000));
    const bits = planeEntropies(new Uint8Array(words.buffer));
    expect(bits[3]).toBe(0);
    for (const b of bits.slice(0, 3)) expect(b).toBeGreaterThan(7.9);
  });
});
