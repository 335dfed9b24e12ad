import { describe, expect, it } from 'vitest';
import type { Snapshot, VerifyReport } from '@/lib/engine/backup/types';
import { formatBinarySize } from '../progress';
import { dedupRatio, snapshotJson, snapshotTable, verifyText } from './backup-format';
import { statusLine } from './backup-progress';

const snapshot: Snapshot = {
  version: 1,
  id: 'ab'.repeat(32),
  time: Date.UTC(2026, 10, 30, 20, 10, 6),
  host: 'backup-host',
  kind: 'registry',
  tags: ['nightly'],
  description: null,
  recoveryPoint: { name: 'pre-2.0', description: 'before the upgrade' },
  package: null,
  source: '/srv/torsh/data',
  files: [],
  stats: { logicalBytes: 3 * 1024 * 1024, fileCount: 4, uniqueChunks: 5, newChunks: 1, newBytes: 512 * 1024, durationMs: 1500 },
};

describe('backup output', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [300 * 1024 * 1024, '300 MiB'],
    [5 * 1024 ** 3, '5.00 GiB'],
  ])('formatBinarySize(%i) = %s', (bytes, text) => expect(formatBinarySize(bytes)).toBe(text));

  it('dedup ratio: logical over new, null when nothing new was stored', () => {
    expect(dedupRatio(3000, 1000)).toBe(3);
    expect(dedupRatio(1000, 3000)).toBeCloseTo(1 / 3, 10);
    expect(dedupRatio(1000, 0)).toBeNull();
  });

  it('list --json entries carry the documented fields', () => {
    expect(snapshotJson(snapshot)).toEqual({
      id: snapshot.id,
      short_id: 'abababab',
      time: '2026-11-30T20:10:06.000Z',
      kind: 'registry',
      host: 'backup-host',
      source: '/srv/torsh/data',
      tags: ['nightly'],
      description: null,
      recovery_point: { name: 'pre-2.0', description: 'before the upgrade' },
      package: null,
      logical_bytes: 3 * 1024 * 1024,
      new_bytes: 512 * 1024,
      dedup_ratio: 6,
      file_count: 4,
      unique_chunks: 5,
      new_chunks: 1,
      duration_ms: 1500,
    });
  });

  it('the table has units and marks recovery points', () => {
    expect(snapshotTable([snapshot]).split('\n')[1]).toBe('abababab  2026-11-30 20:10:06  registry  nightly  3.00 MiB  512 KiB  6.00x  pre-2.0');
  });

  it('a verify report names each damaged chunk with its snapshots and files', () => {
    const report: VerifyReport = {
      mode: 'read-data',
      ok: false,
      snapshots: 2,
      chunksChecked: 9,
      bytesRead: 2048,
      damaged: [{ chunkId: 'c'.repeat(64), problem: 'corrupt', snapshots: [snapshot.id], files: [{ snapshot: snapshot.id, path: 'blobs/0f0f' }] }],
      damagedFiles: [],
      durationMs: 20,
    };
    expect(verifyText(report)).toBe(
      [
        'full (every chunk read, decrypted and re-hashed) verify of 2 snapshots: 9 chunks checked, 2.00 KiB read in 20 ms',
        `damaged chunk ${'c'.repeat(64)} (corrupt)`,
        '  snapshots: abababab',
        '  file: abababab blobs/0f0f',
        'repository damaged: 1 chunks, 0 files',
        '',
      ].join('\n'),
    );
  });

  it('progress is drawn only on a terminal, throttled, and cleared', () => {
    const writes: string[] = [];
    let t = 0;
    const stream = { isTTY: true, columns: 80, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const line = statusLine('backup', 'bytes', { stream, now: () => t });
    line.onProgress({ done: 0, total: null });
    t = 250;
    line.onProgress({ done: 1024 * 1024, total: 4 * 1024 * 1024, message: 'reading blobs' });
    t = 300;
    line.onProgress({ done: 2 * 1024 * 1024, total: 4 * 1024 * 1024 });
    line.clear();
    expect(writes).toEqual(['\rbackup: 0 B\x1b[K', '\rbackup: 1.00 MiB / 4.00 MiB (25%)  reading blobs\x1b[K', '\r\x1b[K']);

    const quiet: string[] = [];
    const pipe = { isTTY: false, write: (s: string) => quiet.push(s) } as unknown as NodeJS.WriteStream;
    const none = statusLine('backup', 'bytes', { stream: pipe, now: () => 1000 });
    none.onProgress({ done: 1, total: 2 });
    none.clear();
    expect(quiet).toEqual([]);
  });
});
