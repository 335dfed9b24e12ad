import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { bootstrapAccounts } from '../access/bootstrap';
import { publishSample, userActor } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { findDownload, getVersion, listChannelHistory, listChannels, removeChannel, setChannel, setYanked } from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const count = (engine: TestEngine, table: string) => engine.db.get<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)).n;
const snapshot = (engine: TestEngine) => ['channels', 'channel_history', 'changes'].map((t) => count(engine, t));

describe('channels', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    await publishSample(engine, 'resnet', '1.0.0');
    await publishSample(engine, 'resnet', '1.1.0');
    await publishSample(engine, 'resnet', '2.0.0-rc.1');
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('points a channel at a version, moves it atomically, keeps every move, newest first', async () => {
    const alice = await userActor(engine, 'alice', ['maintainer']);
    const bob = await userActor(engine, 'bob', ['maintainer']);
    expect(setChannel(engine, alice, { name: 'resnet', channel: 'production', version: '1.0.0' })).toMatchObject({
      name: 'production',
      version: '1.0.0',
      updated_by: 'alice',
    });
    setChannel(engine, bob, { name: 'resnet', channel: 'production', version: '1.1.0' });
    setChannel(engine, alice, { name: 'resnet', channel: 'staging', version: '2.0.0-rc.1' });

    expect(listChannels(engine, 'resnet')).toEqual([
      { name: 'production', version: '1.1.0', updated_at: expect.any(Number), updated_by: 'bob' },
      { name: 'staging', version: '2.0.0-rc.1', updated_at: expect.any(Number), updated_by: 'alice' },
    ]);
    const history = listChannelHistory(engine, { name: 'resnet', channel: 'production' });
    expect(history).toMatchObject({ total: 2, page: 1, per_page: 20 });
    expect(history.history.map((h) => [h.from_version, h.to_version, h.moved_by])).toEqual([
      ['1.0.0', '1.1.0', 'bob'],
      [null, '1.0.0', 'alice'],
    ]);
    const page2 = listChannelHistory(engine, { name: 'resnet', channel: 'production', page: 2, perPage: 1 });
    expect(page2.history.map((h) => h.to_version)).toEqual(['1.0.0']);
  });

  it('a move to where the channel already points changes nothing', () => {
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'stable', version: '1.0.0' });
    const before = snapshot(engine);
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'stable', version: '1.0.0' });
    expect(snapshot(engine)).toEqual(before);
  });

  it('read routes resolve an exact version, latest (computed) or a channel', () => {
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'production', version: '1.0.0' });
    expect(getVersion(engine, 'resnet', 'production').version).toBe('1.0.0');
    expect(findDownload(engine, 'resnet', 'production').row.version).toBe('1.0.0');
    expect(getVersion(engine, 'resnet', 'latest').version).toBe('1.1.0');
    expect(getVersion(engine, 'resnet', '2.0.0-rc.1').version).toBe('2.0.0-rc.1');
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'production', version: '1.1.0' });
    expect(findDownload(engine, 'resnet', 'production').row.version).toBe('1.1.0');

    expect(() => getVersion(engine, 'resnet', 'nightly')).toThrowError(expect.objectContaining({ code: 'CHANNEL_NOT_FOUND', message: 'resnet has no channel "nightly"' }));
    for (const bad of ['Production', '1.0', 'v1.0.0', 'download', '-x', 'a'.repeat(33)]) {
      expect(() => getVersion(engine, 'resnet', bad), bad).toThrowError(expect.objectContaining({ code: 'INVALID_VERSION' }));
    }
  });

  it('latest is a clear 404 when every version is yanked', () => {
    for (const v of ['1.0.0', '1.1.0', '2.0.0-rc.1']) setYanked(engine, SYSTEM, { name: 'resnet', version: v, yanked: true });
    expect(() => getVersion(engine, 'resnet', 'latest')).toThrowError(expect.objectContaining({ code: 'VERSION_NOT_FOUND', message: 'resnet has no latest version: every version is yanked' }));
  });

  it('refuses bad channel names, yanked and absent versions, unknown packages, and changes nothing', () => {
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'stable', version: '1.0.0' });
    setYanked(engine, SYSTEM, { name: 'resnet', version: '1.1.0', yanked: true });
    const before = snapshot(engine);
    const cases: [Parameters<typeof setChannel>[2], string, RegExp][] = [
      [{ name: 'resnet', channel: 'latest', version: '1.0.0' }, 'INVALID_CHANNEL_NAME', /reserved/],
      [{ name: 'resnet', channel: 'download', version: '1.0.0' }, 'INVALID_CHANNEL_NAME', /reserved/],
      [{ name: 'resnet', channel: 'Prod', version: '1.0.0' }, 'INVALID_CHANNEL_NAME', /lowercase/],
      [{ name: 'resnet', channel: '1.0.0', version: '1.0.0' }, 'INVALID_CHANNEL_NAME', /starting with a letter/],
      [{ name: 'resnet', channel: 'x'.repeat(33), version: '1.0.0' }, 'INVALID_CHANNEL_NAME', /1–32/],
      [{ name: 'resnet', channel: 'stable', version: '1.1.0' }, 'VERSION_YANKED', /resnet@1\.1\.0 is yanked/],
      [{ name: 'resnet', channel: 'stable', version: '9.9.9' }, 'VERSION_NOT_FOUND', /resnet@9\.9\.9 does not exist/],
      [{ name: 'resnet', channel: 'stable', version: 'latest' }, 'INVALID_VERSION', /not a valid semantic version/],
      [{ name: 'nope', channel: 'stable', version: '1.0.0' }, 'PACKAGE_NOT_FOUND', /nope/],
    ];
    for (const [input, code, message] of cases) {
      expect(() => setChannel(engine, SYSTEM, input), JSON.stringify(input)).toThrowError(expect.objectContaining({ code, message: expect.stringMatching(message) }));
    }
    expect(snapshot(engine)).toEqual(before);
    expect(listChannels(engine, 'resnet')).toMatchObject([{ name: 'stable', version: '1.0.0' }]);
  });

  it('removes a channel (history kept, feed row written); removing an absent one is CHANNEL_NOT_FOUND', async () => {
    const alice = await userActor(engine, 'alice', ['maintainer']);
    setChannel(engine, SYSTEM, { name: 'resnet', channel: 'beta', version: '1.1.0' });
    expect(removeChannel(engine, alice, { name: 'resnet', channel: 'beta' })).toEqual({ name: 'beta', removed: true });
    expect(listChannels(engine, 'resnet')).toEqual([]);
    expect(listChannelHistory(engine, { name: 'resnet', channel: 'beta' }).history.map((h) => [h.from_version, h.to_version, h.moved_by])).toEqual([
      ['1.1.0', null, 'alice'],
      [null, '1.1.0', 'system'],
    ]);
    const before = snapshot(engine);
    expect(() => removeChannel(engine, alice, { name: 'resnet', channel: 'beta' })).toThrowError(expect.objectContaining({ code: 'CHANNEL_NOT_FOUND' }));
    expect(() => listChannelHistory(engine, { name: 'resnet', channel: 'never' })).toThrowError(expect.objectContaining({ code: 'CHANNEL_NOT_FOUND' }));
    expect(snapshot(engine)).toEqual(before);
  });
});
