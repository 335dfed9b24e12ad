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

const json = Buffer.from(
  Array.from({ length: 4000 }, (_, i) => JSON.stringify({ name: `pkg-${i % 50}`, version: `1.${i}.0`, tags: ['vision'] })).join('\n'),
);

describe('packChunk / unpackChunk', () => {
  it.each([
    ['random bytes', randomBytes(1024 * 1024), 'raw'],
    ['float32 weights', weights(256 * 1024), 'brotli'],
    ['JSON', json, 'brotli'],
    ['a tiny chunk', Buffer.from('hello'), 'raw'],
    ['an empty chunk', Buffer.alloc(0), 'raw'],
  ] as const)('round-trips %s (%s)', (_name, data, encoding) => {
    expect(chooseEncoding(data)).toBe(encoding);
    const packed = packChunk(data);
    expect(unpackChunk(packed, MAX).equals(data)).toBe(true);
    if (encoding === 'raw') expect(packed.length).toBe(data.length + 1);
    else expect(packed.length).toBeLessThan(data.length);
  });

  it('packs and unpacks off the thread to the same bytes', async () => {
    for (const data of [json, weights(64 * 1024), randomBytes(100_000)]) {
      const packed = await packChunkAsync(data);
      expect(packed.equals(packChunk(data))).toBe(true);
      expect((await unpackChunkAsync(packed, MAX)).equals(data)).toBe(true);
    }
    await expect(unpackChunkAsync(Buffer.of(2, 0xff, 0x00, 0x13), MAX)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
    await expect(unpackChunkAsync(packChunk(Buffer.alloc(MAX)), 1024)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
  });

  it('shrinks JSON to well under half and float32 weights by a few percent', () => {
    expect(packChunk(json).length).toBeLessThan(json.length / 2);
    const w = weights(256 * 1024);
    expect(packChunk(w).length).toBeLessThan(w.length * 0.97);
  });

  it('refuses an unknown encoding and a chunk that inflates past the maximum', () => {
    expect(() => unpackChunk(Buffer.of(9, 1, 2), MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_FORMAT_UNSUPPORTED' }));
    const zeros = packChunk(Buffer.alloc(MAX));
    expect(() => unpackChunk(zeros, 1024)).toThrow(AppError);
    expect(() => unpackChunk(Buffer.of(2, 0xff, 0x00, 0x13), MAX)).toThrow(expect.objectContaining({ code: 'BACKUP_CHUNK_DAMAGED' }));
  });
});
