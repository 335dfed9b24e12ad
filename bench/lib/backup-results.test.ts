import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backupSection, comparisonRows, type BackupRun } from './backup-results';
import { changedBytes, planEdits } from './edit-plan';

const t = (seconds: number, peakRssBytes = 100e6) => ({ seconds, peakRssBytes });
const RUN: BackupRun = {
  date: '2026-11-30T21:00:00Z',
  quick: false,
  machine: 'test',
  loadBefore: 0.2,
  resticVersion: 'restic 0.14.0',
  logicalFirst: 1000e6,
  logicalSecond: 2000e6,
  changedBytes: 50e6,
  modelBytes: 1000e6,
  models: 'four models',
  restoredBytes: 2000e6,
  restoreIdentical: true,
  ours: { first: t(5), storedFirst: 900e6, second: t(4), storedIncrement: 80e6, restore: t(10) },
  restic: { first: t(10), storedFirst: 950e6, second: t(8), storedIncrement: 70e6, restore: t(8) },
  micro: [{ label: 'chunker', value: '500 MB/s' }],
};

describe('backup results', () => {
  it('judges each target on the ratio to restic', () => {
    const rows = comparisonRows(RUN);
    const byLabel = new Map(rows.map((r) => [r[0], r]));
    assert.match(byLabel.get('first backup, throughput')![5], /^PASS/);
    assert.equal(byLabel.get('first backup, throughput')![3], '2.00×');
    assert.match(byLabel.get('first backup, stored bytes')![5], /^PASS/);
    assert.match(byLabel.get('second backup, stored increment')![5], /^MISS/);
    assert.match(byLabel.get('full restore, throughput')![5], /^MISS/);
  });

  it('renders a run block with the table and the micro figures', () => {
    const text = backupSection(RUN);
    assert.match(text, /^### Run 2026-11-30T21:00:00Z\n/);
    assert.match(text, /\| chunker \| 500 MB\/s \|/);
    assert.match(text, /5\.0 % of its bytes/);
  });
});

describe('planEdits', () => {
  it('changes the asked fraction in disjoint, sorted edits with one insertion', () => {
    const size = 256 * 1024 * 1024;
    const edits = planEdits(size);
    assert.equal(edits.filter((e) => e.kind === 'insert').length, 1);
    assert.ok(Math.abs(changedBytes(edits) / size - 0.05) < 0.001);
    for (let i = 1; i < edits.length; i++) {
      const prev = edits[i - 1];
      assert.ok(prev.at + (prev.kind === 'insert' ? 0 : prev.length) <= edits[i].at);
    }
    for (const e of edits) assert.ok(e.at % 4 === 0 && e.length % 4 === 0 && e.at + (e.kind === 'insert' ? 0 : e.length) <= size);
  });
});
