// The replication benchmark's harness at a small size (CI runs it through `npm test`; the lead
// runs the 1 GiB figures with `npm run bench:replication`).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { summarizeLocal } from './replicate-local';
import { replicationParts, runReplicationBench } from './replication-bench';
import { replicationSection } from './replication-results';
import { ensureTools } from './required-tools';
import { withRun } from './results-file';

describe('summarizeLocal', () => {
  it('takes medians and compares with the faster cp variant', () => {
    const runs = [
      { quorumSeconds: 1, allSeconds: 1.5, cpSequentialSeconds: 1.2, cpParallelSeconds: 1.0, resentBytes: 0 },
      { quorumSeconds: 3, allSeconds: 3.5, cpSequentialSeconds: 1.4, cpParallelSeconds: 1.6, resentBytes: 0 },
      { quorumSeconds: 2, allSeconds: 2.5, cpSequentialSeconds: 1.3, cpParallelSeconds: 1.5, resentBytes: 0 },
    ];
    const s = summarizeLocal(runs);
    assert.equal(s.reference, 'sequential');
    assert.equal(s.referenceSeconds, 1.3);
    assert.equal(s.allSeconds, 2.5);
    assert.equal(s.ratio, 2.5 / 1.3);
    assert.equal(s.quorumRatio, 2 / 1.3);
  });
});

describe('replicationParts (BENCH_REPL_PARTS)', () => {
  it('runs both parts by default, one when named, and refuses an unknown name', () => {
    assert.deepEqual(replicationParts(undefined), ['local', 's3']);
    assert.deepEqual(replicationParts(''), ['local', 's3']);
    assert.deepEqual(replicationParts('s3'), ['s3']);
    assert.deepEqual(replicationParts('s3, local'), ['local', 's3']);
    assert.throws(() => replicationParts('s4'), /BENCH_REPL_PARTS/);
  });
});

describe('the replication benchmark at 2 MiB', () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'torsh-bench-repl-test-'));
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('replicates to three nodes, publishes and downloads through an S3-backed origin, and renders the run', { timeout: 180_000 }, async () => {
    // curl is the client (as in every benchmark): installed with apt-get when missing and root.
    await ensureTools(() => {}, ['curl']);
    const run = await runReplicationBench({ mib: 2, repeats: 1, quick: true, log: () => {}, parentDir: parent });
    assert.ok(run.local && run.s3);
    const [r] = run.local.runs;
    assert.equal(run.local.runs.length, 1);
    assert.ok(run.local.bytes > 2 * 1024 * 1024);
    assert.ok(r.quorumSeconds > 0 && r.quorumSeconds <= r.allSeconds, `quorum ${r.quorumSeconds} s, all ${r.allSeconds} s`);
    assert.ok(r.cpSequentialSeconds > 0 && r.cpParallelSeconds > 0);
    assert.ok(r.resentBytes === 0 || r.resentBytes === run.local.bytes, `apply jobs sent ${r.resentBytes} bytes`);
    assert.ok(run.s3.bytes > 2 * 1024 * 1024);
    for (const k of ['publish', 'download', 's3Put', 's3Get', 'storePut', 'storeGet'] as const) {
      assert.equal(run.s3[k].length, 1, k);
      assert.ok(run.s3[k][0] > 0, `${k} rate`);
    }
    assert.ok(run.s3.rss.hwmBytes > 0);
    // Everything it started is gone with its temp dir.
    assert.deepEqual(readdirSync(parent), []);

    const section = replicationSection(run);
    assert.match(section, /^### Run \S+ \(quick\)/);
    assert.match(section, /\| replicate 2 MiB to 3 local nodes, all durable \/ `cp` .* \| (PASS|MISS)/);
    assert.match(section, /\| origin peak RSS, primary store on s3rver.* \| (PASS|MISS)/);
    assert.match(section, /\| publish through the origin \| [\d,]+ MB\/s \|/);
    const file = withRun('# R\n', 'replication', section);
    // One part alone renders only its own target row and tables.
    const s3Only = replicationSection({ ...run, local: undefined });
    assert.doesNotMatch(s3Only, /replicate 2 MiB/);
    assert.match(s3Only, /\| origin peak RSS, primary store on s3rver.* \| (PASS|MISS)/);
    assert.match(file, /## Replication: .*\(`bench\/replication\.ts`\)\n\n### Run /);
  });
});
