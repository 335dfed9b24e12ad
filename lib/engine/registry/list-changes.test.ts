import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setVisibility } from '../access/manage-package-access';
import { ANONYMOUS, SYSTEM } from '../actor';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { deletePackage, deleteVersion, listChanges, publishVersion, removeChannel, setChannel, setYanked, updatePackage } from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

describe('change feed', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('every publish, yank, unyank, delete, channel move and visibility change is one row, in commit order', async () => {
    const a = await publishSample(engine, 'resnet', '1.0.0');
    const b = await publishSample(engine, 'resnet', '1.1.0');
    setYanked(engine, SYSTEM, { name: 'resnet', version: '1.1.0', yanked: true, reason: ' bad weights ' });
    setYanked(engine, SYSTEM, { name: 'resnet', version: '1.1.0', yanked: true }); // already yanked: no change
    setYanked(engine, SYSTEM, { name: 'resnet', version: '1.1.0', yanked: false });
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'production', version: '1.0.0' });
    removeChannel(engine, SYSTEM, { name: 'resnet', channel: 'production' });
    setVisibility(engine, { name: 'resnet', visibility: 'private' });
    setVisibility(engine, { name: 'resnet', visibility: 'private' }); // unchanged: no row
    updatePackage(engine, SYSTEM, 'resnet', { readme: 'not a feed event' });
    deleteVersion(engine, SYSTEM, { name: 'resnet', version: '1.1.0' });
    deletePackage(engine, SYSTEM, 'resnet');

    const { changes, next } = listChanges(engine);
    expect(changes.map((c) => [c.kind, c.version, c.data])).toEqual([
      ['publish', '1.0.0', null],
      ['publish', '1.1.0', null],
      ['yank', '1.1.0', { reason: 'bad weights' }],
      ['unyank', '1.1.0', null],
      ['channel', '1.0.0', { channel: 'production', from: null, to: '1.0.0' }],
      ['channel', null, { channel: 'production', from: '1.0.0', to: null }],
      ['visibility', null, { from: 'public', to: 'private' }],
      ['delete', '1.1.0', { visibility: 'private', package_deleted: false }],
      ['delete', '1.0.0', { visibility: 'private', package_deleted: true }],
    ]);
    expect(changes[0]).toMatchObject({ seq: 1, name: 'resnet', digest: a.digest, size: a.size, created_at: expect.any(Number) });
    expect(changes[1]).toMatchObject({ digest: b.digest, size: b.size });
    expect(changes.map((c) => c.seq)).toEqual(changes.map((_, i) => i + 1));
    expect(next).toBe(9);
  });

  it('pages with since and limit; next stays put when nothing is new', async () => {
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) await publishSample(engine, 'bert', v);
    const first = listChanges(engine, { since: 0, limit: 2 });
    expect(first.changes.map((c) => c.version)).toEqual(['1.0.0', '1.1.0']);
    const second = listChanges(engine, { since: first.next, limit: 2 });
    expect(second.changes.map((c) => c.version)).toEqual(['1.2.0']);
    expect(listChanges(engine, { since: second.next })).toEqual({ changes: [], next: second.next });
  });

  it('a change that fails writes no row', async () => {
    await expect(
      publishVersion(engine, ANONYMOUS, { name: 'broken', version: '1.0.0', source: { kind: 'stream', body: Readable.from([Buffer.from('not a zip')]) } }),
    ).rejects.toMatchObject({ code: 'PACKAGE_NOT_ZIP' });
    expect(() => setChannel(engine, SYSTEM, { name: 'broken', channel: 'stable', version: '1.0.0' })).toThrow();
    expect(listChanges(engine).changes).toEqual([]);
  });

  it('refuses a bad since or limit', () => {
    for (const [input, message] of [
      [{ since: -1 }, /since must be a sequence number/],
      [{ since: 1.5 }, /since must be a sequence number/],
      [{ limit: 0 }, /limit must be 1–1000/],
      [{ limit: 1001 }, /limit must be 1–1000/],
    ] as const) {
      expect(() => listChanges(engine, input)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) }));
    }
  });
});
