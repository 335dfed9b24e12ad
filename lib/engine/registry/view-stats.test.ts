import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorForUser } from '../access/actor-for-user';
import { bootstrapAccounts } from '../access/bootstrap';
import { setGrant, setVisibility } from '../access/manage-package-access';
import { createRole } from '../access/roles';
import { createToken, resolveToken } from '../access/tokens';
import { getUser, setUserRoles } from '../access/users';
import { ANONYMOUS, SYSTEM, type Actor } from '../actor';
import { publishSample, userActor } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { findDownload, getPackage, getStats, getVersion, recordDownload, searchPackages } from '.';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const ev = { status: 200, bytesSent: 100, durationMs: 1, isRange: false, completed: true, clientAddr: null };

describe('ViewStats', () => {
  let engine: TestEngine;
  let actors: Record<'owner' | 'viewer' | 'plain' | 'admin', Actor>;
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    actors = {
      owner: await userActor(engine, 'owner', ['contributor']),
      viewer: await userActor(engine, 'viewer1', ['viewer']), // viewer holds ReadMetadata + ViewStats
      plain: await userActor(engine, 'plain', []),
      admin: await userActor(engine, 'root', ['admin']),
    };
    for (const [name, visibility] of [['open', 'public'], ['members', 'restricted'], ['secret', 'private']] as const) {
      await publishSample(engine, name, '1.0.0', { actor: actors.owner, description: 'stats model' });
      setVisibility(engine, { name, visibility });
      const target = findDownload(engine, name, '1.0.0');
      for (let i = 0; i < 3; i++) recordDownload(engine, target, ev);
    }
    engine.metrics.flush();
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('public figures are public', () => {
    expect(getPackage(engine, 'open', ANONYMOUS)).toMatchObject({ downloads: 3, versions: [{ downloads: 3 }] });
    expect(getVersion(engine, 'open', '1.0.0', ANONYMOUS).downloads).toBe(3);
    expect(searchPackages(engine, ANONYMOUS, { q: 'stats' }).packages).toEqual([expect.objectContaining({ name: 'open', downloads: 3 })]);
    expect(getStats(engine, ANONYMOUS)).toMatchObject({ packages: 1, downloads: 3, bytes_served: 300 });
  });

  it('a restricted package: figures for ViewStats holders and owners, null for readers without it', async () => {
    // A role with ReadMetadata but not ViewStats: sees the package, not its figures.
    createRole(engine, { name: 'reader-only', permissions: ['ReadMetadata', 'Download'] });
    const reader = await userActor(engine, 'reader', []);
    setUserRoles(engine, SYSTEM, { userId: reader.userId!, roles: ['reader-only'] });
    const readerNow = actorForUser(engine, getUser(engine, reader.userId!), { sessionId: 't' });

    expect(getPackage(engine, 'members', readerNow)).toMatchObject({ downloads: null, versions: [{ downloads: null }] });
    expect(getVersion(engine, 'members', '1.0.0', readerNow).downloads).toBeNull();
    expect(searchPackages(engine, readerNow, { q: 'stats' }).packages.find((p) => p.name === 'members')?.downloads).toBeNull();
    expect(getStats(engine, readerNow)).toMatchObject({ packages: 2, downloads: 3 }); // only the public package's figures

    for (const who of [actors.viewer, actors.owner, actors.admin]) {
      expect(getPackage(engine, 'members', who).downloads, who.name).toBe(3);
      expect(searchPackages(engine, who, { q: 'stats' }).packages.find((p) => p.name === 'members')?.downloads, who.name).toBe(3);
    }
    expect(getStats(engine, actors.viewer)).toMatchObject({ downloads: 6, bytes_served: 600 });
  });

  it('a private package: figures for owners and admins only (a role never reaches private packages)', () => {
    setGrant(engine, { name: 'secret', username: 'plain', permissions: ['ReadMetadata', 'Download'] });
    expect(getPackage(engine, 'secret', actors.plain).downloads).toBeNull(); // a grantee reads it, without figures
    expect(getStats(engine, actors.plain).downloads).toBe(3);
    for (const who of [actors.owner, actors.admin]) {
      expect(getPackage(engine, 'secret', who).downloads, who.name).toBe(3);
      expect(getVersion(engine, 'secret', '1.0.0', who).downloads, who.name).toBe(3);
    }
    expect(getStats(engine, actors.owner)).toMatchObject({ downloads: 9 });
    expect(getStats(engine, actors.admin)).toMatchObject({ downloads: 9 });
  });

  it('a token without the ViewStats scope sees no non-public figures, even on packages its user owns', () => {
    const { token } = createToken(engine, actors.owner, { name: 'ci', scopes: ['ReadMetadata', 'Download'] });
    const r = resolveToken(engine, token);
    if (!r.ok) throw new Error('token did not resolve');
    expect(getPackage(engine, 'secret', r.actor).downloads).toBeNull();
    expect(getPackage(engine, 'open', r.actor).downloads).toBe(3);
    expect(getStats(engine, r.actor).downloads).toBe(3);
  });

  it('with include=permissions, says what the viewer may do on the package', () => {
    expect(getPackage(engine, 'open', ANONYMOUS, { includePermissions: true }).viewer_permissions).toEqual(['ReadMetadata', 'Download', 'ViewStats']);
    expect(getPackage(engine, 'open', actors.viewer, { includePermissions: true }).viewer_permissions).toEqual(['ReadMetadata', 'Download', 'ViewStats']);
    expect(getPackage(engine, 'open', actors.owner, { includePermissions: true }).viewer_permissions).toEqual([
      'ReadMetadata', 'Download', 'Publish', 'Update', 'Delete', 'ManageVersions', 'Yank', 'Unyank', 'ManageOwners', 'ViewStats',
    ]);
    expect(getPackage(engine, 'open', actors.viewer)).not.toHaveProperty('viewer_permissions');
  });
});
