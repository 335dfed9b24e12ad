import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, sha256Of, torsh, removeHomes } from './cli';


test.afterAll(removeHomes);

test.describe('torsh encrypt / decrypt', () => {
  test('round trip; a wrong password exits 7 and writes nothing', async () => {
    const { dir, env } = cliHome();
    const plain = path.join(dir, 'model.bin');
    writeFileSync(plain, randomBytes(3 * 1024 * 1024 + 17));
    const sealed = path.join(dir, 'model.bin.enc');

    const enc = await torsh(['encrypt', plain], { env: { ...env, TORSH_PASSWORD: 'correct horse battery' } });
    expect(enc.code, enc.stderr).toBe(0);
    expect(enc.stdout.trim()).toBe(sealed);
    expect(readFileSync(sealed).subarray(0, 8).toString()).toBe('TORSHENC');
    expect(enc.stderr).toMatch(/encrypting: 3\.15 MB in/);

    const out = path.join(dir, 'roundtrip.bin');
    const dec = await torsh(['decrypt', sealed, '-o', out, '--password-stdin'], { env, input: 'correct horse battery\n' });
    expect(dec.code, dec.stderr).toBe(0);
    expect(sha256Of(out)).toBe(sha256Of(plain));

    const before = readdirSync(dir).sort();
    const wrongOut = path.join(dir, 'wrong.bin');
    const wrong = await torsh(['decrypt', sealed, '-o', wrongOut, '--password-stdin'], { env, input: 'incorrect horse\n' });
    expect(wrong.code).toBe(7);
    expect(wrong.stderr).toMatch(/^torsh: decryption failed: wrong password, or the file was modified or truncated \(DECRYPT_FAILED\)$/m);
    expect(existsSync(wrongOut)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(before);

    const exists = await torsh(['decrypt', sealed, '-o', out, '--password-stdin'], { env, input: 'correct horse battery\n' });
    expect(exists.code).toBe(1);
    expect(exists.stderr).toMatch(/exists; pass --force/);

    const noPassword = await torsh(['encrypt', plain, '-o', path.join(dir, 'x.enc')], { env });
    expect(noPassword.code).toBe(1);
  });

  test('an encrypted package is published with --name/--version and downloads byte for byte', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const name = uniqueName('cli-enc');
    const file = path.join(dir, 'pkg.torshpkg');
    expect((await torsh(['pack', packageDir(dir, name, '1.0.0'), '-o', file], { env })).code).toBe(0);
    const sealed = `${file}.enc`;
    expect((await torsh(['encrypt', file], { env: { ...env, TORSH_PASSWORD: 'pw-for-e2e' } })).code).toBe(0);

    const noCoordinates = await torsh(['publish', sealed], { env, token });
    expect(noCoordinates.code).toBe(1);
    expect(noCoordinates.stderr).toMatch(/is encrypted, so its manifest cannot be read: give --name and --version/);

    const pub = await torsh(['publish', sealed, '--name', name, '--version', '1.0.0', '--description', 'secret weights ✓'], { env, token });
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout.trim()).toBe(`sha256:${sha256Of(sealed)}`);

    const out = path.join(dir, 'fetched.enc');
    const dl = await torsh(['download', `${name}@1.0.0`, '-o', out], { env, token });
    expect(dl.code, dl.stderr).toBe(0);
    expect(sha256Of(out)).toBe(sha256Of(sealed));
    const plain = path.join(dir, 'fetched.torshpkg');
    expect((await torsh(['decrypt', out, '-o', plain], { env: { ...env, TORSH_PASSWORD: 'pw-for-e2e' } })).code).toBe(0);
    expect(sha256Of(plain)).toBe(sha256Of(file));
  });
});
