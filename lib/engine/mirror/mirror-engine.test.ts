import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { SYSTEM } from '@/lib/engine/actor';
import { deleteVersion, getPackage, getVersion, listChanges, listChannels, setChannel, setYanked } from '@/lib/engine/registry';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { manualClock, tempEngine } from '@/lib/engine/test-support/temp-engine';
import { startApiTestServer, type ApiTestServer } from '@/lib/server/test-support/api-test-server';
import { createLimiter, mirrorConcurrencyFromEnv } from './limiter';
import { recordCaughtUp, recordContact, readSync } from './mirror-state';
import { mirrorFeedStatus, mirrorHoldings } from './mirror-status';
import { startFollower, type Follower } from './follow-feed';
import { createUpstreamClient } from './upstream-client';

describe('createLimiter', () => {
  it('runs at most n tasks at once, all of them eventually, in order of arrival', async () => {
    const run = createLimiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    const all = gates.map((g, i) =>
      run(async () => {
        started.push(i);
        peak = Math.max(peak, ++active);
        await g.promise;
        active--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('TORSH_MIRROR_CONCURRENCY: default 4, refuses nonsense', () => {
    expect(mirrorConcurrencyFromEnv({})).toBe(4);
    expect(mirrorConcurrencyFromEnv({ TORSH_MIRROR_CONCURRENCY: '8' })).toBe(8);
    for (const bad of ['0', '-1', '2.5', 'many', '65']) expect(() => mirrorConcurrencyFromEnv({ TORSH_MIRROR_CONCURRENCY: bad })).toThrow(/TORSH_MIRROR_CONCURRENCY/);
  });
});

describe('mirror feed status', () => {
  it('lag_seconds is 0 while caught up and reachable, else the time since it was last caught up', async () => {
    const clock = manualClock(1_000_000);
    const engine = await tempEngine({}, { clock: clock.now });
    try {
      const up = 'http://up.test';
      readSync(engine, up);
      // Never in contact: lag counts from the start.
      expect(mirrorFeedStatus(engine, up, { reachable: false, startedAt: 990_000 })).toMatchObject({ position: 0, head: 0, lag_changes: 0, lag_seconds: 10, upstream_reachable: false });
      recordContact(engine, up, 5);
      recordCaughtUp(engine, up); // as of t = 1_000_000 (position 0 < head 5 is not caught up, but the row says when it last was)
      clock.advance(4_000);
      expect(mirrorFeedStatus(engine, up, { reachable: true, startedAt: 0 })).toMatchObject({ head: 5, lag_changes: 5, lag_seconds: 4, caught_up_at: 1_000_000 });
      engine.db.$client.prepare('UPDATE mirror_sync SET position = 5').run();
      expect(mirrorFeedStatus(engine, up, { reachable: true, startedAt: 0 }).lag_seconds).toBe(0);
      clock.advance(6_000);
      expect(mirrorFeedStatus(engine, up, { reachable: false, startedAt: 0 }).lag_seconds).toBe(10);
      expect(mirrorHoldings(engine)).toEqual({ bytes_held: 0, packages: 0, versions: 0 });
    } finally {
      await engine.cleanup();
    }
  });
});

describe('follower (in process, against the origin router)', () => {
  let origin: ApiTestServer;
  let mirror: Awaited<ReturnType<typeof tempEngine>>;
  let follower: Follower;
  const up = () => createUpstreamClient({ url: origin.url });
  const until = async (what: string, check: () => boolean) => {
    const end = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`${what}: not reached`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const position = () => readSync(mirror, origin.url).position;
  const head = () => (origin.engine.db.$client.prepare('SELECT max(seq) AS h FROM changes').get() as { h: number }).h;

  beforeAll(async () => {
    origin = await startApiTestServer();
    mirror = await tempEngine();
  });
  afterAll(async () => {
    await follower?.stop();
    await mirror?.cleanup();
    await origin?.close();
  });

  it('copies versions (rows as the origin has them), yanks, channels; drops a package that turns private; stores the position it applied', async () => {
    await publishSample(origin.engine, 'alpha', '1.0.0', { tags: ['vision'] });
    await publishSample(origin.engine, 'alpha', '1.1.0');
    setChannel(origin.engine, SYSTEM, { name: 'alpha', channel: 'stable', version: '1.0.0' });
    setYanked(origin.engine, SYSTEM, { name: 'alpha', version: '1.1.0', yanked: true, reason: 'broken' });
    await publishSample(origin.engine, 'beta', '0.1.0');
    follower = startFollower({ engine: mirror, upstream: up(), concurrency: 2, waitSeconds: 1 });
    await until('caught up', () => position() === head());
    const strip = <T extends { downloads: unknown }>(v: T) => ({ ...v, downloads: null });
    expect(strip(getVersion(mirror, 'alpha', '1.1.0'))).toEqual(strip(getVersion(origin.engine, 'alpha', '1.1.0')));
    expect(getVersion(mirror, 'alpha', '1.1.0')).toMatchObject({ yanked: true, yank_reason: 'broken' });
    const pkg = getPackage(mirror, 'alpha');
    expect(pkg).toMatchObject({ latest: '1.0.0', tags: ['vision'] });
    expect(listChannels(mirror, 'alpha').map((c) => [c.name, c.version])).toEqual([['stable', '1.0.0']]);

    setVisibility(origin.engine, { name: 'beta', visibility: 'private' });
    deleteVersion(origin.engine, SYSTEM, { name: 'alpha', version: '1.1.0' });
    await until('caught up again', () => position() === head());
    expect(() => getPackage(mirror, 'beta')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(getPackage(mirror, 'alpha').versions.map((v) => v.version)).toEqual(['1.0.0']);
    expect(mirrorHoldings(mirror)).toMatchObject({ packages: 1, versions: 1 });
    // What it applied is in its own feed, for mirrors that follow this one.
    const own = listChanges(mirror, { limit: 1000 }).changes.map((c) => [c.kind, c.name, c.version]);
    expect(own).toEqual([
      ['publish', 'alpha', '1.0.0'],
      ['publish', 'alpha', '1.1.0'],
      ['channel', 'alpha', '1.0.0'],
      ['yank', 'alpha', '1.1.0'],
      ['publish', 'beta', '0.1.0'],
      ['visibility', 'beta', null],
      ['delete', 'alpha', '1.1.0'],
    ]);
  }, 30_000);
});
