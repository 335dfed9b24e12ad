import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { chooseEncoding, packChunk, packChunkAsync, unpackChunk, unpackChunkAsync } from './compress';

const MAX = 4 * 1024 * 1024;

/** float32 weights ~ N(0, 0.02): what a model checkpoint holds. */
function weights(count: number): Buffer {
  const a = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(Math.random() || 1e-12)) * 0.02;
    const t = 2 * Math.PI * Math.random();
    a[i] = r * Math.cos(t);
    if (i + 1 < count) a[i + 1] = r * Math.sin(t);
  }
  return Buffer.from(a.buffer);
}

/** bfloat16 weights: the high half of float32 ones. */
function bfloat16(count: number): Buffer {
  const f = new Uint32Array(weights(count).buffer);
  const out = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) out.writeUInt16LE(f[i] >>> 16, i * 2);
  return out;
}

const json = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => JSON.stringify({ name: `pkg-${i % 50}`, version: `1.${i}.0`, tags: ['vision'] })).join('\n'),
);

describe('packChunk / unpackChunk', () => {
  it.each([
    { name: 'random bytes', data: randomBytes(1024 * 1024), encoding: 'raw' },
    { name: 'float32 weights', data: weights(256 * 1024), encoding: 'raw' },
    { name: 'bfloat16 weights of an odd length, misaligned', data: bfloat16(400_000).subarray(3, 3 + 777_777), encoding: 'planes' },
    { name: 'bfloat16 weights', data: bfloat16(512 * 1024), encoding: 'planes' },
    { name: 'JSON', data: json, encoding: 'brotli' },
    { name: 'a tiny chunk', data: Buffer.from('hello'), encoding: 'raw' },
    { name: 'an empty chunk', data: Buffer.alloc(0), encoding: 'raw' },
  ] as const)('round-trips $name as $encoding', ({ data, encoding }) => {
    expect(chooseEncoding(data)).toBe(encoding);
    const packed = packChunk(data);
    expect(unpackChunk(packed, MAX).equals(data)).toBe(true);
    if (encoding === 'raw') expect(packed.length).toBe(data.length + 1);
    else expect(packed.length).toBeLessThan(data.length);
  });

  it('packs and unpacks off the thread to the same bytes', async () => {
    for (const data of [json, weights(64 * 1024), bfloat16(100_001), randomBytes(100_000)]) {
      const packed = await packChunkAsync(data);
      expect(packed.equals(packChunk(data))).toBe(true);
      expect((await unpackChunkAsync(packed, MAX)).equals(data)).toBe(true);
    }
    await expect(unpackChunkAsync(Buffer.of(2, 0xff, 0x00, 0x13), MAX)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
    await expect(unpackChunkAsync(packChunk(Buffer.alloc(MAX)), 1024)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
  });

  it('shrinks JSON to well under half and bfloat16 below 72 %, and stores float32 weights raw (planes would save only ~16 %)', () => {
    expect(packChunk(json).length).toBeLessThan(json.length / 2);
    const w = weights(256 * 1024);
    expect(packChunk(w)[0]).toBe(0);
    const b = bfloat16(512 * 1024);
    expect(packChunk(b).length).toBeLessThan(b.length * 0.72);
  });

  it('refuses a damaged byte-plane chunk', () => {
    const packed = packChunk(bfloat16(64 * 1024));
    expect(packed[0]).toBe(3);
    for (const bad of [packed.subarray(0, 4), packed.subarray(0, packed.length - 1), Buffer.concat([packed, Buffer.of(0)])]) {
      expect(() => unpackChunk(bad, MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_CHUNK_DAMAGED' }));
    }
    const tooLong = Buffer.from(packed);
    tooLong.writeUInt32LE(MAX + 1, 2);
    expect(() => unpackChunk(tooLong, MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_CHUNK_DAMAGED' }));
  });

  it('refuses an unknown encoding and a chunk that inflates past the maximum', () => {
    expect(() => unpackChunk(Buffer.of(9, 1, 2), MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_FORMAT_UNSUPPORTED' }));
    const zeros = packChunk(Buffer.alloc(MAX));
    expect(() => unpackChunk(zeros, 1024)).toThrow(AppError);
    expect(() => unpackChunk(Buffer.of(2, 0xff, 0x00, 0x13), MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_CHUNK_DAMAGED' }));
  });
});
