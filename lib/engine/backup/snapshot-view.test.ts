import { describe, expect, it } from 'vitest';
import { snapshotView } from './snapshot-view';

const base = {
  id: 'cd'.repeat(32),
  time: 1_700_000_000_000,
  kind: 'package' as const,
  host: 'h',
  tags: ['a'],
  description: 'd',
  recoveryPoint: null,
  package: { name: 'resnet', version: '1.0.0' },
  stats: { logicalBytes: 2048, newBytes: 0, fileCount: 2, uniqueChunks: 3, durationMs: 12 },
};

describe('snapshotView', () => {
  it('is the snake_case view: short id, time in ms, null ratio when nothing new was stored', () => {
    expect(snapshotView(base)).toEqual({
      id: base.id,
      short_id: 'cdcdcdcd',
      time: base.time,
      kind: 'package',
      host: 'h',
      tags: ['a'],
      description: 'd',
      recovery_point: null,
      package: { name: 'resnet', version: '1.0.0' },
      logical_bytes: 2048,
      new_bytes: 0,
      dedup_ratio: null,
      file_count: 2,
      unique_chunks: 3,
      duration_ms: 12,
    });
  });

  it('keeps only the recovery point’s name and description, and divides logical by new bytes', () => {
    const v = snapshotView({ ...base, recoveryPoint: { name: 'pre-2.0', description: null }, stats: { ...base.stats, newBytes: 512 } });
    expect(v.recovery_point).toEqual({ name: 'pre-2.0', description: null });
    expect(v.dedup_ratio).toBe(4);
  });
});
