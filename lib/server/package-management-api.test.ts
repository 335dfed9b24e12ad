/**
 * Delete, channels, Update and ViewStats over real HTTP (the origin's router, a temp engine):
 * status codes, bodies, headers, and the tombstone refusing a republish through PUT and tus.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishUploadAction } from '@/app/(dashboard)/publish/actions';
import { setVisibility } from '@/lib/engine/access/manage-package-access';
import { createRole } from '@/lib/engine/access/roles';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { findDownload, recordDownload } from '@/lib/engine/registry';
import { publishSample } from '@/lib/engine/test-support/registry-fixtures';
import { SESSION_COOKIE } from './session-cookie';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';

type Creds = { id: number; token: string; session: string };

let t: ApiTestServer;
let admin: Creds;
let maintainer: Creds;
let viewer: Creds;
let reader: Creds;

const api = (path: string, init: RequestInit & { as?: Creds } = {}) => {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('authorization', `Bearer ${init.as.token}`);
  return fetch(`${t.url}/api/v1${path}`, { ...init, headers });
};
const json = (method: string, body: unknown, as: Creds): RequestInit & { as: Creds } => ({
  method,
  as,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const sampleBytes = async (name: string, version: string, description?: string) => readFile(await writeSamplePackage({ name, version, description }));

beforeAll(async () => {
  t = await startApiTestServer();
  admin = await t.user('root', ['admin']);
  maintainer = await t.user('maint', ['maintainer']);
  viewer = await t.user('view', ['viewer']);
  createRole(t.engine, { name: 'reader-only', permissions: ['ReadMetadata', 'Download'] });
  reader = await t.user('reader', ['reader-only']);
});

afterAll(async () => {
  await t?.close();
});

describe('DELETE /api/v1/packages/{name}/{version} and /api/v1/packages/{name}', () => {
  it('deletes a version (Delete needed); reads 404 afterwards; a republish is 409 VERSION_TOMBSTONED through PUT', async () => {
    await publishSample(t.engine, 'del-a', '1.0.0');
    await publishSample(t.engine, 'del-a', '1.1.0');

    expect((await api('/packages/del-a/1.0.0', { method: 'DELETE' })).status).toBe(401);
    const denied = await api('/packages/del-a/1.0.0', { method: 'DELETE', as: maintainer });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe('FORBIDDEN');

    const res = await api('/packages/del-a/1.0.0', { method: 'DELETE', as: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'del-a', version: '1.0.0', deleted: true });

    expect((await api('/packages/del-a/1.0.0')).status).toBe(404);
    expect((await api('/packages/del-a/1.0.0/download')).status).toBe(404);
    expect((await api('/packages/del-a/1.0.0', { method: 'DELETE', as: admin })).status).toBe(404);
    expect((await (await api('/packages/del-a')).json()).versions.map((v: { version: string }) => v.version)).toEqual(['1.1.0']);

    const again = await api('/packages/del-a/1.0.0', { method: 'PUT', as: admin, body: await sampleBytes('del-a', '1.0.0', 'other bytes') });
    expect(again.status).toBe(409);
    const body = await again.json();
    expect(body.error.code).toBe('VERSION_TOMBSTONED');
    expect(body.error.message).toMatch(/^del-a@1\.0\.0 was deleted on \d{4}-\d{2}-\d{2}; published versions are never reused$/);
    expect((await api('/packages/del-a/1.0.0')).status).toBe(404);
  });

  it('a republish through a resumable upload and the browser publish is refused the same way', async () => {
    await publishSample(t.engine, 'del-tus', '1.0.0');
    expect((await api('/packages/del-tus/1.0.0', { method: 'DELETE', as: admin })).status).toBe(200);
    const bytes = await sampleBytes('del-tus', '1.0.0');
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const created = await api('/uploads', {
      method: 'POST',
      as: admin,
      headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': `filename ${b64('m.torshpkg')},name ${b64('del-tus')},version ${b64('1.0.0')}` },
    });
    expect(created.status).toBe(201);
    const uploadId = created.headers.get('location')!.split('/').pop()!;
    const patched = await api(`/uploads/${uploadId}`, {
      method: 'PATCH',
      as: admin,
      headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: bytes,
    });
    expect(patched.status).toBe(204);
    const result = await publishUploadAction.runWith(
      { headers: new Headers({ cookie: `${SESSION_COOKIE}=${admin.session}` }), cookies: { set: () => {}, delete: () => {} } },
      { uploadId, name: 'del-tus', version: '1.0.0' },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'VERSION_TOMBSTONED' } });
    expect((await api('/packages/del-tus/1.0.0')).status).toBe(404);
  });

  it('deletes a whole package: every version listed, then 404', async () => {
    await publishSample(t.engine, 'del-b', '1.0.0');
    await publishSample(t.engine, 'del-b', '2.0.0');
    const res = await api('/packages/del-b', { method: 'DELETE', as: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'del-b', deleted_versions: ['1.0.0', '2.0.0'] });
    expect((await api('/packages/del-b')).status).toBe(404);
    expect((await api('/packages/del-b', { method: 'DELETE', as: admin })).status).toBe(404);
    expect((await api('/packages/del-b/2.0.0', { method: 'PUT', as: admin, body: await sampleBytes('del-b', '2.0.0') })).status).toBe(409);
  });

  it('a private package is 404 to someone who cannot see it, even with a global Delete role', async () => {
    await publishSample(t.engine, 'del-private', '1.0.0');
    setVisibility(t.engine, { name: 'del-private', visibility: 'private' });
    createRole(t.engine, { name: 'deleter', permissions: ['ReadMetadata', 'Delete'] });
    const deleter = await t.user('deleter-1', ['deleter']);
    expect((await api('/packages/del-private', { method: 'DELETE', as: deleter })).status).toBe(404);
    expect((await api('/packages/del-private')).status).toBe(404);
    expect((await api('/packages/del-private', { as: admin })).status).toBe(200);
  });
});

describe('channels', () => {
  it('moves a channel (ManageVersions), lists it, resolves it in metadata and downloads, keeps its history', async () => {
    const v1 = await publishSample(t.engine, 'chan', '1.0.0');
    await publishSample(t.engine, 'chan', '1.1.0');

    expect((await api('/packages/chan/channels/production', json('PUT', { version: '1.0.0' }, viewer))).status).toBe(403);
    const put = await api('/packages/chan/channels/production', json('PUT', { version: '1.0.0' }, maintainer));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ name: 'production', version: '1.0.0', updated_at: expect.any(Number), updated_by: 'maint' });

    const list = await (await api('/packages/chan/channels')).json();
    expect(list).toEqual({ channels: [{ name: 'production', version: '1.0.0', updated_at: expect.any(Number), updated_by: 'maint' }] });

    const meta = await api('/packages/chan/production');
    expect(meta.status).toBe(200);
    expect(meta.headers.get('x-torsh-version')).toBe('1.0.0');
    expect((await meta.json()).version).toBe('1.0.0');

    const dl = await api('/packages/chan/production/download');
    expect(dl.status).toBe(200);
    expect(dl.headers.get('x-torsh-version')).toBe('1.0.0');
    expect(dl.headers.get('etag')).toBe(`"${v1.digest}"`);
    expect(dl.headers.get('cache-control')).toBe('public, no-cache'); // a moving name: caches revalidate
    expect(Buffer.from(await dl.arrayBuffer()).length).toBe(v1.size);
    const exact = await api('/packages/chan/1.0.0/download');
    expect(exact.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await exact.arrayBuffer();
    const revalidated = await api('/packages/chan/production/download', { headers: { 'if-none-match': `"${v1.digest}"` } });
    expect(revalidated.status).toBe(304);

    expect((await api('/packages/chan/channels/production', json('PUT', { version: '1.1.0' }, maintainer))).status).toBe(200);
    const moved = await api('/packages/chan/production/download');
    expect(moved.headers.get('x-torsh-version')).toBe('1.1.0');
    await moved.arrayBuffer();
    expect((await api('/packages/chan/latest')).headers.get('x-torsh-version')).toBe('1.1.0');

    const history = await (await api('/packages/chan/channels/production/history?per_page=1')).json();
    expect(history).toMatchObject({ total: 2, page: 1, per_page: 1, history: [{ channel: 'production', from_version: '1.0.0', to_version: '1.1.0', moved_by: 'maint' }] });

    const del = await api('/packages/chan/channels/production', { method: 'DELETE', as: maintainer });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ name: 'production', removed: true });
    expect((await api('/packages/chan/production/download')).status).toBe(404);
    expect((await api('/packages/chan/channels/production', { method: 'DELETE', as: maintainer })).status).toBe(404);
  });

  it('answers bad moves with clear 4xx errors', async () => {
    await publishSample(t.engine, 'chan-bad', '1.0.0');
    await publishSample(t.engine, 'chan-bad', '1.1.0');
    expect((await api('/packages/chan-bad/1.1.0/yank', { method: 'POST', as: admin })).status).toBe(200);
    const cases: [string, unknown, number, string][] = [
      ['stable', { version: '1.1.0' }, 409, 'VERSION_YANKED'],
      ['stable', { version: '9.9.9' }, 404, 'VERSION_NOT_FOUND'],
      ['stable', { version: 'latest' }, 400, 'INVALID_VERSION'],
      ['stable', {}, 400, 'INVALID_INPUT'],
      ['latest', { version: '1.0.0' }, 400, 'INVALID_CHANNEL_NAME'],
      ['Prod', { version: '1.0.0' }, 400, 'INVALID_CHANNEL_NAME'],
    ];
    for (const [channel, body, status, code] of cases) {
      const res = await api(`/packages/chan-bad/channels/${channel}`, json('PUT', body, admin));
      expect([res.status, (await res.json()).error.code], `${channel} ${JSON.stringify(body)}`).toEqual([status, code]);
    }
    expect(await (await api('/packages/chan-bad/channels')).json()).toEqual({ channels: [] });
    const unknown = await api('/packages/chan-bad/nightly/download');
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    const bad = await api('/packages/chan-bad/Nightly');
    expect([bad.status, (await bad.json()).error.code]).toEqual([400, 'INVALID_VERSION']);
  });
});

describe('PATCH /api/v1/packages/{name}', () => {
  it('Update edits description, tags, homepage and README; search finds them', async () => {
    await publishSample(t.engine, 'edit-me', '1.0.0');
    expect((await api('/packages/edit-me', json('PATCH', { description: 'x' }, viewer))).status).toBe(403);
    const res = await api('/packages/edit-me', json('PATCH', { description: 'Zebra detector', tags: ['zoo'], homepage: 'https://zoo.example', readme: '# Zebras\nstripes' }, maintainer));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ description: 'Zebra detector', tags: ['zoo'], homepage: 'https://zoo.example', readme: '# Zebras\nstripes' });
    const hits = await (await api('/search?q=stripes')).json();
    expect(hits.packages.map((p: { name: string }) => p.name)).toEqual(['edit-me']);
  });

  it('refuses bad bodies with 400 and the field at fault, changing nothing', async () => {
    await publishSample(t.engine, 'edit-bad', '1.0.0');
    const before = await (await api('/packages/edit-bad')).json();
    for (const [body, field] of [
      [{ homepage: 'javascript:alert(1)' }, 'homepage'],
      [{ description: 'd'.repeat(2001) }, 'description'],
      [{ tags: ['Not A Tag!'] }, 'tags.0'],
      [{ readme: 'r'.repeat(256 * 1024 + 1) }, 'readme'],
      [{ owners: ['mallory'] }, '_'],
      [{}, '_'],
    ] as const) {
      const res = await api('/packages/edit-bad', json('PATCH', body, admin));
      const err = (await res.json()).error;
      expect([res.status, err.code], JSON.stringify(body).slice(0, 40)).toEqual([400, 'INVALID_INPUT']);
      expect(Object.keys(err.fields)).toContain(field);
    }
    expect(await (await api('/packages/edit-bad')).json()).toEqual(before);
  });
});

describe('ViewStats', () => {
  it('non-public download figures are null without ViewStats; public ones are public', async () => {
    await publishSample(t.engine, 'stats-open', '1.0.0');
    await publishSample(t.engine, 'stats-members', '1.0.0');
    setVisibility(t.engine, { name: 'stats-members', visibility: 'restricted' });
    for (const name of ['stats-open', 'stats-members']) {
      recordDownload(t.engine, findDownload(t.engine, name, '1.0.0'), { status: 200, bytesSent: 1, durationMs: 1, isRange: false, completed: true, clientAddr: null });
    }
    expect((await (await api('/packages/stats-open')).json()).downloads).toBe(1);
    expect((await (await api('/packages/stats-members', { as: reader })).json())).toMatchObject({ downloads: null, versions: [{ downloads: null }] });
    expect((await (await api('/packages/stats-members/1.0.0', { as: reader })).json()).downloads).toBeNull();
    expect((await (await api('/packages/stats-members', { as: viewer })).json()).downloads).toBe(1);
    const search = await (await api('/search?q=stats', { as: reader })).json();
    expect(Object.fromEntries(search.packages.map((p: { name: string; downloads: number | null }) => [p.name, p.downloads]))).toMatchObject({
      'stats-open': 1,
      'stats-members': null,
    });
    const readerStats = await (await api('/stats', { as: reader })).json();
    const viewerStats = await (await api('/stats', { as: viewer })).json();
    expect(viewerStats.downloads - readerStats.downloads).toBe(1);
  });

  it('GET /api/v1/packages/{name}?include=permissions says what the caller may do there', async () => {
    await publishSample(t.engine, 'perm-pkg', '1.0.0');
    const mine = await (await api('/packages/perm-pkg?include=permissions', { as: maintainer })).json();
    expect(mine.viewer_permissions).toEqual(expect.arrayContaining(['Update', 'ManageVersions', 'Yank']));
    expect(mine.viewer_permissions).not.toContain('Delete');
    expect((await (await api('/packages/perm-pkg?include=permissions', { as: admin })).json()).viewer_permissions).toContain('Delete');
    expect((await api('/packages/perm-pkg?include=everything')).status).toBe(400);
  });
});

describe('GET /api/v1/roles', () => {
  it('marks every permission enabled now that backups ship, keeping `permissions` as it was', async () => {
    const body = await (await api('/roles', { as: viewer })).json();
    expect(body.permissions).toHaveLength(21);
    const off = body.permissions_info.filter((p: { enabled: boolean }) => !p.enabled).map((p: { name: string }) => p.name);
    expect(off).toEqual([]);
  });
});
