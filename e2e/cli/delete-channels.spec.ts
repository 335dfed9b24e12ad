import { existsSync } from 'node:fs';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, sha256Of, torsh, removeHomes } from './cli';

test.afterAll(removeHomes);

/** Packs and publishes `versions` of a new package; returns its name and the files by version. */
async function publishVersions(run: (args: string[]) => ReturnType<typeof torsh>, dir: string, prefix: string, versions: string[]) {
  const name = uniqueName(prefix);
  const files: Record<string, string> = {};
  for (const version of versions) {
    files[version] = path.join(dir, `${name}-${version}.src.torshpkg`);
    const packed = await run(['pack', packageDir(dir, name, version, 4), '-o', files[version]]);
    expect(packed.code, packed.stderr).toBe(0);
    const published = await run(['publish', files[version]]);
    expect(published.code, published.stderr).toBe(0);
  }
  return { name, files };
}

test.describe('torsh channel', () => {
  test('set, ls, download name@channel (the exact version it points at), move, rm', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const { name, files } = await publishVersions(run, dir, 'cli-channel', ['1.0.0', '1.1.0', '2.0.0']);

    const set = await run(['channel', 'set', name, 'production', '1.1.0']);
    expect(set.code, set.stderr).toBe(0);
    const listed = await run(['channel', 'ls', name, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).channels).toEqual([expect.objectContaining({ name: 'production', version: '1.1.0' })]);
    const table = await run(['channel', 'ls', name]);
    expect(table.stdout).toMatch(/^CHANNEL +VERSION +UPDATED +BY\nproduction +1\.1\.0 +\d{4}-\d\d-\d\dT[\d:]+Z +\S+\n$/);

    const download = async (spec: string) => {
      const r = await run(['download', spec, '-o', `${dir}/`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { version: string; channel?: string; path: string };
    };
    const first = await download(`${name}@production`);
    expect(first).toMatchObject({ version: '1.1.0', channel: 'production', path: path.join(dir, `${name}-1.1.0.torshpkg`) });
    expect(sha256Of(first.path)).toBe(sha256Of(files['1.1.0']));

    expect((await run(['channel', 'set', name, 'production', '2.0.0'])).code).toBe(0);
    expect((await download(`${name}@production`)).version).toBe('2.0.0');
    // A range is still a range, latest still computed.
    expect((await download(`${name}@^1`)).version).toBe('1.1.0');

    const removed = await run(['channel', 'rm', name, 'production']);
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await run(['download', `${name}@production`, '-o', `${dir}/`]);
    expect(gone.code).toBe(4);
    expect(JSON.parse((await run(['channel', 'ls', name, '--json'])).stdout).channels).toEqual([]);

    const badName = await run(['channel', 'set', name, 'latest', '1.0.0']);
    expect(badName.code).toBe(1);
  });

  test('without a token the registry refuses to move a channel (exit 3)', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const { name } = await publishVersions((args) => torsh(args, { env, token }), dir, 'cli-channel-anon', ['1.0.0']);
    const anonymous = await torsh(['channel', 'set', name, 'production', '1.0.0'], { env });
    expect(anonymous.code).toBe(3);
  });
});

test.describe('torsh delete', () => {
  test('a version: refused without --yes off a terminal, deleted with it, tombstoned for publishing', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const { name, files } = await publishVersions(run, dir, 'cli-delete', ['1.0.0', '1.1.0']);

    const unconfirmed = await run(['delete', `${name}@1.0.0`]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toMatch(/without confirmation: stdin is not a terminal; pass --yes/);
    expect((await run(['download', `${name}@1.0.0`, '-o', `${dir}/`, '--no-cache'])).code).toBe(0);

    const deleted = await run(['delete', `${name}@1.0.0`, '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toBe(`deleted ${name}@1.0.0\n`);
    const out = path.join(dir, 'after-delete.torshpkg');
    const missing = await run(['download', `${name}@1.0.0`, '-o', out, '--no-cache']);
    expect(missing.code).toBe(4);
    expect(existsSync(out)).toBe(false);
    expect((await run(['delete', `${name}@1.0.0`, '--yes'])).code).toBe(4);

    const again = await run(['publish', files['1.0.0']]);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/\(VERSION_TOMBSTONED\)$/m);
    // The other version is untouched.
    expect((await run(['download', `${name}@latest`, '-o', `${dir}/`, '--json'])).code).toBe(0);
  });

  test('--all deletes every version; anonymous deletes are refused (exit 3)', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const { name } = await publishVersions(run, dir, 'cli-delete-all', ['1.0.0', '2.0.0']);

    const anonymous = await torsh(['delete', name, '--all', '--yes'], { env });
    expect(anonymous.code).toBe(3);

    const all = await run(['delete', name, '--all', '--yes', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({ name, deleted_versions: expect.arrayContaining(['1.0.0', '2.0.0']) });
    expect((await run(['download', `${name}@latest`, '-o', `${dir}/`])).code).toBe(4);
  });
});
