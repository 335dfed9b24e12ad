import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { SYSTEM } from '@/lib/engine/actor';
import { setChannel, setYanked } from '@/lib/engine/registry';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { startApiTestServer, type ApiTestServer } from '../test-support/api-test-server';

let t: ApiTestServer;
let adminToken: string;
let viewerToken: string;

const feed = async (query: string, token?: string) => {
  const res = await fetch(`${t.url}/api/v1/changes${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, body: await res.json() };
};

beforeAll(async () => {
  t = await startApiTestServer();
  adminToken = (await t.user('feed-admin', ['admin'])).token;
  viewerToken = (await t.user('feed-viewer', ['viewer'])).token;
  await publishSample(t.engine, 'feed-a', '1.0.0');
  await publishSample(t.engine, 'feed-a', '1.1.0');
  setYanked(t.engine, SYSTEM, { name: 'feed-a', version: '1.1.0', yanked: true });
  setChannel(t.engine, SYSTEM, { name: 'feed-a', channel: 'stable', version: '1.0.0' });
  await publishSample(t.engine, 'feed-secret', '1.0.0');
  setVisibility(t.engine, { name: 'feed-secret', visibility: 'private' });
  await publishSample(t.engine, 'feed-secret', '2.0.0'); // private from the start
});

afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/changes', () => {
  it('lists changes in commit order with digest and size; head is the newest seq; no-store', async () => {
    const { status, headers, body } = await feed('');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.changes.map((c: { kind: string; name: string; version: string | null }) => [c.kind, c.name, c.version])).toEqual([
      ['publish', 'feed-a', '1.0.0'],
      ['publish', 'feed-a', '1.1.0'],
      ['yank', 'feed-a', '1.1.0'],
      ['channel', 'feed-a', '1.0.0'],
      ['publish', 'feed-secret', '1.0.0'],
      ['visibility', 'feed-secret', null],
    ]);
    const seqs = body.changes.map((c: { seq: number }) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(body.changes[0]).toMatchObject({ digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/), size: expect.any(Number), public: true });
    expect(body.head).toBe(7);
    // The private publish after it is not visible, but next reaches head: a follower is not stuck behind it.
    expect(body.next).toBe(7);
  });

  it('pages with limit and next', async () => {
    const first = await feed('?since=0&limit=2');
    expect(first.body.changes.map((c: { seq: number }) => c.seq)).toEqual([1, 2]);
    expect(first.body.next).toBe(2);
    const second = await feed(`?since=${first.body.next}&limit=2`);
    expect(second.body.changes.map((c: { seq: number }) => c.seq)).toEqual([3, 4]);
    const rest = await feed(`?since=${second.body.next}&limit=1000`);
    expect(rest.body.changes.map((c: { seq: number }) => c.seq)).toEqual([5, 6]);
    expect((await feed('?since=7')).body).toEqual({ changes: [], next: 7, head: 7 });
  });

  it('anonymous callers never see a private package; the public→private change is shown so mirrors drop it; a token that may read it sees all', async () => {
    const anon = (await feed('')).body.changes;
    expect(anon.find((c: { kind: string; data: unknown }) => c.kind === 'visibility')).toMatchObject({ name: 'feed-secret', data: { from: 'public', to: 'private' }, public: true });
    expect(anon.some((c: { version: string }) => c.version === '2.0.0')).toBe(false);
    const viewer = (await feed('', viewerToken)).body.changes;
    expect(viewer.some((c: { version: string }) => c.version === '2.0.0')).toBe(false);
    const admin = (await feed('', adminToken)).body.changes;
    expect(admin.at(-1)).toMatchObject({ name: 'feed-secret', version: '2.0.0', public: false });
  });

  it('refuses a bad since, limit or wait with 400 INVALID_INPUT', async () => {
    for (const q of ['?since=-1', '?since=abc', '?since=1.5', '?limit=0', '?limit=1001', '?limit=x', '?wait=61', '?wait=-1', '?wait=soon']) {
      const { status, body } = await feed(q);
      expect(status, q).toBe(400);
      expect(body.error.code, q).toBe('INVALID_INPUT');
    }
  });

  it('long-poll: answers within a second of a publish, and empty when the wait runs out', async () => {
    const head = (await feed('')).body.head;
    const started = Date.now();
    const pending = feed(`?since=${head}&wait=30`);
    await new Promise((r) => setTimeout(r, 300));
    await publishSample(t.engine, 'feed-a', '1.2.0');
    const published = Date.now();
    const { body } = await pending;
    expect(Date.now() - published).toBeLessThan(2000);
    expect(body.changes.map((c: { version: string }) => c.version)).toEqual(['1.2.0']);
    expect(Date.now() - started).toBeLessThan(5000);

    const quiet = Date.now();
    const empty = await feed(`?since=${body.head}&wait=1`);
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(950);
    expect(empty.body).toEqual({ changes: [], next: body.head, head: body.head });
  });

  it('long-poll: a change the caller may not see is not shown, but moves next so followers skip it', async () => {
    const head = (await feed('')).body.head;
    const pending = feed(`?since=${head}&wait=10`);
    await new Promise((r) => setTimeout(r, 200));
    const published = Date.now();
    await publishSample(t.engine, 'feed-secret', '3.0.0');
    const { body } = await pending;
    expect(Date.now() - published).toBeLessThan(2000);
    expect(body.changes).toEqual([]);
    expect(body.head).toBe(head + 1);
    expect(body.next).toBe(head + 1);
  });
});
