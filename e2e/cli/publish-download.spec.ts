import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, sha256Of, torsh, removeHomes } from './cli';


test.afterAll(removeHomes);

test.describe('torsh pack / publish / download', () => {
  test('pack → keys register → publish --sign → download --verify: the bytes are the published ones', async ({ request, api }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const name = uniqueName('cli-signed');

    const packed = await run(['pack', packageDir(dir, name, '1.0.0'), '-o', path.join(dir, 'pkg.torshpkg')]);
    expect(packed.code, packed.stderr).toBe(0);
    const [digest, file] = packed.stdout.trim().split(/\s+/);
    expect(sha256Of(file)).toBe(digest);

    const inspected = await run(['inspect', file, '--json']);
    expect(inspected.code, inspected.stderr).toBe(0);
    const info = JSON.parse(inspected.stdout);
    expect(info).toMatchObject({ name, version: '1.0.0', format_version: '1.0.0' });
    expect(info.resources).toEqual([
      expect.objectContaining({ path: 'config/config.json', type: 'Config' }),
      expect.objectContaining({ path: 'models/model.bin', type: 'Model', size: 64 * 1024, metadata: { framework: 'torch' } }),
    ]);
    expect(info.manifest.resources).toHaveLength(2);

    const keyFile = path.join(dir, 'signing.pem');
    const keygen = await run(['keygen', '-o', keyFile, '--json']);
    expect(keygen.code, keygen.stderr).toBe(0);
    const key = JSON.parse(keygen.stdout);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const registered = await run(['keys', 'register', key.public_key_file, '--name', `e2e ${name}`, '--json']);
    expect(registered.code, registered.stderr).toBe(0);
    expect(JSON.parse(registered.stdout).key_id).toBe(key.key_id);

    const published = await run(['publish', file, '--sign', keyFile]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout.trim()).toBe(`sha256:${digest}`);
    expect(published.stderr).not.toMatch(/warning/);
    const meta = await (await api.get(`/api/v1/packages/${name}/1.0.0`)).json();
    expect(meta.digest).toBe(`sha256:${digest}`);
    expect(meta.signature).toMatchObject({ key_id: key.key_id, status: 'verified' });

    const out = path.join(dir, 'downloaded.torshpkg');
    const downloaded = await run(['download', `${name}@1.0.0`, '--verify', '-o', out]);
    expect(downloaded.code, downloaded.stderr).toBe(0);
    expect(downloaded.stderr).toMatch(new RegExp(`signature ok: key ${key.key_id}`));
    expect(downloaded.stdout.trim()).toBe(`${digest}  ${out}`);
    expect(sha256Of(out)).toBe(digest);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // The second time it comes from the cache, still verified.
    const again = await run(['download', `${name}@latest`, '--verify', '-o', dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second).toMatchObject({ version: '1.0.0', from_cache: true, digest: `sha256:${digest}` });
    expect(sha256Of(second.path)).toBe(digest);
    const listed = await run(['cache', 'ls', '--json']);
    expect(JSON.parse(listed.stdout).entries).toEqual([expect.objectContaining({ key: `${name}@1.0.0`, digest })]);
    const index = JSON.parse(readFileSync(path.join(dir, 'cache', 'index.json'), 'utf8'));
    expect(index.entries[`${name}@1.0.0`]).toMatchObject({ digest, size: statSync(file).size });
  });

  test('ranges and latest skip yanked versions; an exact yanked version downloads with a warning', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const name = uniqueName('cli-range');
    for (const version of ['1.0.0', '1.1.0', '2.0.0']) {
      const out = path.join(dir, `${version}.torshpkg`);
      expect((await run(['pack', packageDir(dir, name, version, 4), '-o', out])).code).toBe(0);
      const pub = await run(['publish', out]);
      expect(pub.code, pub.stderr).toBe(0);
    }
    const yank = await run(['yank', `${name}@1.1.0`, '--reason', 'broken']);
    expect(yank.code, yank.stderr).toBe(0);

    const version = async (spec: string) => {
      const r = await run(['download', spec, '-o', dir, '--json', '--no-cache']);
      expect(r.code, r.stderr).toBe(0);
      return { version: JSON.parse(r.stdout).version as string, stderr: r.stderr };
    };
    expect((await version(`${name}@^1`)).version).toBe('1.0.0');
    expect((await version(`${name}@latest`)).version).toBe('2.0.0');
    expect((await version(name)).version).toBe('2.0.0');
    const exact = await version(`${name}@1.1.0`);
    expect(exact.version).toBe('1.1.0');
    expect(exact.stderr).toMatch(/warning: .*1\.1\.0 is yanked \(broken\)/);

    const none = await run(['download', `${name}@^3`, '-o', dir]);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/^torsh: no version of .* matches \^3/m);

    expect((await run(['unyank', `${name}@1.1.0`])).code).toBe(0);
    expect((await version(`${name}@^1`)).version).toBe('1.1.0');

    const found = await run(['search', name, '--json']);
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).packages).toEqual([expect.objectContaining({ name, latest: '2.0.0' })]);
  });
});

test.describe('torsh sign / verify', () => {
  test('a tampered file or a wrong key fails with exit 7; unsigned or unknown-key packages fail download --verify', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const keyA = path.join(dir, 'a.pem');
    const keyB = path.join(dir, 'b.pem');
    const a = JSON.parse((await run(['keygen', '-o', keyA, '--json'])).stdout);
    await run(['keygen', '-o', keyB]);
    expect((await run(['keys', 'register', keyA, '--name', `e2e-a-${a.key_id}`])).code).toBe(0);

    const name = uniqueName('cli-sig');
    const file = path.join(dir, 'pkg.torshpkg');
    await run(['pack', packageDir(dir, name, '1.0.0'), '-o', file]);
    const sig = path.join(dir, 'pkg.sig');
    const signed = await run(['sign', file, '--key', keyA, '-o', sig]);
    expect(signed.code, signed.stderr).toBe(0);

    const ok = await run(['verify', file, '--sig-file', sig, '--public-key', `${keyA}.pub`]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`signed by key ${a.key_id}`));
    // The registry knows key A: --key-id finds it there.
    const byId = await run(['verify', file, '--signature', readFileSync(sig, 'utf8').trim(), '--key-id', a.key_id]);
    expect(byId.code, byId.stderr).toBe(0);

    const tampered = path.join(dir, 'tampered.torshpkg');
    copyFileSync(file, tampered);
    const bytes = readFileSync(tampered);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(tampered, bytes);
    const bad = await run(['verify', tampered, '--sig-file', sig, '--public-key', `${keyA}.pub`]);
    expect(bad.code).toBe(7);
    expect(bad.stderr).toMatch(/^torsh: the signature of .*tampered\.torshpkg .* does not verify with key/m);

    const wrongKey = await run(['verify', file, '--sig-file', sig, '--public-key', `${keyB}.pub`]);
    expect(wrongKey.code).toBe(7);
    expect(wrongKey.stderr).toMatch(/does not verify/);

    const unknownId = await run(['verify', file, '--sig-file', sig, '--key-id', '0123456789abcdef']);
    expect(unknownId.code).toBe(7);

    // Published signed by B, which the registry does not know: download --verify refuses, writes nothing.
    const publishedB = await run(['publish', file, '--sign', keyB]);
    expect(publishedB.code, publishedB.stderr).toBe(0);
    expect(publishedB.stderr).toMatch(/warning: the registry recorded the signature as unknown_key: register the public key/);
    const out = path.join(dir, 'out.torshpkg');
    const unknown = await run(['download', `${name}@1.0.0`, '--verify', '-o', out]);
    expect(unknown.code).toBe(7);
    expect(unknown.stderr).toMatch(/signed with key [0-9a-f]{16}, which is neither one of the registry's keys nor in .*; nothing was downloaded/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // Trusting B locally is enough.
    expect((await run(['keys', 'trust', `${keyB}.pub`])).code).toBe(0);
    const trusted = await run(['download', `${name}@1.0.0`, '--verify', '-o', out]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(trusted.stderr).toMatch(/trusted via the local trust file/);

    const unsignedName = uniqueName('cli-unsigned');
    const unsignedFile = path.join(dir, 'unsigned.torshpkg');
    await run(['pack', packageDir(dir, unsignedName, '1.0.0'), '-o', unsignedFile]);
    expect((await run(['publish', unsignedFile])).code).toBe(0);
    const out2 = path.join(dir, 'unsigned-out.torshpkg');
    const unsigned = await run(['download', `${unsignedName}@1.0.0`, '--verify', '-o', out2]);
    expect(unsigned.code).toBe(7);
    expect(unsigned.stderr).toMatch(/is not signed; nothing was downloaded/);
    expect(existsSync(out2)).toBe(false);
    // Without --verify it downloads.
    expect((await run(['download', `${unsignedName}@1.0.0`, '-o', out2])).code).toBe(0);
  });
});
