import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempEngine } from '../test-support/temp-engine';
import { listJobs } from './list-jobs';
import { createSqliteQueue } from './sqlite-queue';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(() => engine.cleanup());

describe('listJobs kind filter', () => {
  it('matches one kind exactly, or a family by `prefix.*` (LIKE wildcards in the prefix are literal)', () => {
    const queue = createSqliteQueue(engine);
    for (const kind of ['replication.apply', 'replication.scrub', 'replicationX', 'mirror.sync', 'a_b.c', 'axb.c']) queue.enqueue(kind, {});
    const kinds = (kind: string) => listJobs(engine, { kind }).jobs.map((j) => j.kind).sort();
    expect(kinds('replication.apply')).toEqual(['replication.apply']);
    expect(kinds('replication.*')).toEqual(['replication.apply', 'replication.scrub']);
    expect(kinds('a_b.*')).toEqual(['a_b.c']);
    expect(listJobs(engine, { kind: 'replication.*', perPage: 1 })).toMatchObject({ total: 2, jobs: [{ kind: 'replication.scrub' }] });
  });
});
