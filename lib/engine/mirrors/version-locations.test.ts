import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { edges, mirrors, type MirrorState } from '@/db/schema';
import { setVisibility } from '../access/manage-package-access';
import { SYSTEM } from '../actor';
import { setChannel } from '../registry';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { setSelectionStrategy } from './mirror-settings';
import { versionLocations } from './version-locations';

let engine: Awaited<ReturnType<typeof tempEngine>>;
beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(() => engine.cleanup());

const ORIGIN = 'https://registry.example.test';
const maxSeq = () => Number(engine.db.$client.prepare('SELECT max(seq) FROM changes').pluck().get());

function mirror(url: string, o: { state?: MirrorState; position: number | null; priority?: number; region?: string; latency?: number; load?: number }) {
  const now = Date.now();
  return engine.db
    .insert(mirrors)
    .values({
      url,
      region: o.region ?? 'eu',
      priority: o.priority ?? 100,
      state: o.state ?? 'healthy',
      position: o.position,
      lastLatencyMs: o.latency ?? null,
      load: o.load ?? null,
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get().id;
}

function edge(url: string, state: MirrorState, region = 'eu') {
  const now = Date.now();
  return engine.db.insert(edges).values({ url, region, purgeToken: 't', state, createdAt: now, updatedAt: now }).returning().get().id;
}

const locate = (name: string, ref: string, region: string | null = null) => versionLocations(engine, { name, ref, region, originUrl: ORIGIN });
const urls = (name: string, ref: string, region: string | null = null) => locate(name, ref, region).locations.map((l) => `${l.kind}:${new URL(l.url).host}`);

describe('versionLocations', () => {
  it('lists the mirrors that hold the version (healthy, then degraded), then healthy edges, then the origin', async () => {
    await publishSample(engine, 'model', '1.0.0');
    const seq = maxSeq();
    mirror('http://behind.test', { position: seq - 1, priority: 1 });
    mirror('http://down.test', { position: seq, state: 'unhealthy', priority: 1 });
    mirror('http://slow.test', { position: seq, state: 'degraded', priority: 2 });
    mirror('http://b.test', { position: seq + 5, priority: 20 });
    mirror('http://a.test', { position: seq, priority: 10 });
    mirror('http://unknown.test', { position: null, priority: 1 });
    edge('http://edge-down.test', 'unhealthy');
    edge('http://edge.test', 'healthy');

    const view = locate('model', '1.0.0');
    expect(view).toMatchObject({ name: 'model', version: '1.0.0', strategy: 'priority', region: null });
    expect(view.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(urls('model', '1.0.0')).toEqual(['mirror:a.test', 'mirror:b.test', 'mirror:slow.test', 'edge:edge.test', 'origin:registry.example.test']);
    expect(view.locations[0].url).toBe('http://a.test/api/v1/packages/model/1.0.0/download');
    expect(view.locations.at(-1)).toEqual({ url: `${ORIGIN}/api/v1/packages/model/1.0.0/download`, kind: 'origin', id: null, region: null, state: 'healthy', latency_ms: null });
  });

  it('names the exact version a channel or latest resolves to', async () => {
    await publishSample(engine, 'model', '1.0.0');
    await publishSample(engine, 'model', '2.0.0');
    setChannel(engine, SYSTEM, { name: 'model', channel: 'stable', version: '1.0.0' });
    expect(locate('model', 'stable')).toMatchObject({ version: '1.0.0' });
    expect(locate('model', 'latest').locations[0].url).toBe(`${ORIGIN}/api/v1/packages/model/2.0.0/download`);
  });

  it('lists only the origin for a private or restricted package, however far mirrors are', async () => {
    await publishSample(engine, 'secret', '1.0.0');
    setVisibility(engine, { name: 'secret', visibility: 'private' });
    mirror('http://a.test', { position: maxSeq() + 100 });
    edge('http://edge.test', 'healthy');
    expect(urls('secret', '1.0.0')).toEqual(['origin:registry.example.test']);
    setVisibility(engine, { name: 'secret', visibility: 'restricted' });
    expect(urls('secret', '1.0.0')).toEqual(['origin:registry.example.test']);
  });

  it('a package made public after the publish is held only by mirrors past that change', async () => {
    await publishSample(engine, 'late', '1.0.0');
    setVisibility(engine, { name: 'late', visibility: 'private' });
    const publishedSeq = maxSeq() - 1;
    setVisibility(engine, { name: 'late', visibility: 'public' });
    mirror('http://old.test', { position: publishedSeq });
    mirror('http://new.test', { position: maxSeq() });
    expect(urls('late', '1.0.0')).toEqual(['mirror:new.test', 'origin:registry.example.test']);
  });

  it('orders by the stored strategy and the client region', async () => {
    await publishSample(engine, 'model', '1.0.0');
    const seq = maxSeq();
    mirror('http://us.test', { position: seq, region: 'us', priority: 1, latency: 90, load: 0 });
    mirror('http://eu.test', { position: seq, region: 'eu', priority: 2, latency: 10, load: 7 });
    edge('http://edge-us.test', 'healthy', 'us');
    edge('http://edge-eu.test', 'healthy', 'eu');
    expect(urls('model', '1.0.0')).toEqual(['mirror:us.test', 'mirror:eu.test', 'edge:edge-us.test', 'edge:edge-eu.test', 'origin:registry.example.test']);
    setSelectionStrategy(engine, 'lowest_latency');
    expect(urls('model', '1.0.0').slice(0, 2)).toEqual(['mirror:eu.test', 'mirror:us.test']);
    setSelectionStrategy(engine, 'least_loaded');
    expect(urls('model', '1.0.0').slice(0, 2)).toEqual(['mirror:us.test', 'mirror:eu.test']);
    setSelectionStrategy(engine, 'geographic');
    expect(urls('model', '1.0.0', 'eu')).toEqual(['mirror:eu.test', 'mirror:us.test', 'edge:edge-eu.test', 'edge:edge-us.test', 'origin:registry.example.test']);
    expect(locate('model', '1.0.0', 'eu')).toMatchObject({ strategy: 'geographic', region: 'eu' });
  });

  it('404s an unknown version like a download would', async () => {
    await publishSample(engine, 'model', '1.0.0');
    expect(() => locate('model', '9.9.9')).toThrow(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
    expect(() => locate('nothing', '1.0.0')).toThrow(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
  });
});
