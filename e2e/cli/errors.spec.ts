import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN, adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, torsh, removeHomes } from './cli';

test.afterAll(removeHomes);

test.describe('torsh exit codes', () => {
  test('not found → 4, published twice → 5, not a package → 6 (locally), no token → 3', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();

    const missing = await torsh(['download', `${uniqueName('nosuchpkg')}@1.0.0`, '-o', dir], { env, token });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^torsh: .* \((PACKAGE|VERSION)_NOT_FOUND\)$/m);

    const name = uniqueName('cli-twice');
    const file = path.join(dir, 'twice.torshpkg');
    expect((await torsh(['pack', packageDir(dir, name, '1.0.0'), '-o', file], { env })).code).toBe(0);
    expect((await torsh(['publish', file], { env, token })).code).toBe(0);
    const again = await torsh(['publish', file], { env, token });
    expect(again.code).toBe(5);
    expect(again.stderr).toBe(`torsh: ${name}@1.0.0 is already published; versions are immutable (PACKAGE_VERSION_EXISTS)\n`);

    // Rejected before any request: the registry address does not even answer.
    const junk = path.join(dir, 'junk.torshpkg');
    writeFileSync(junk, 'definitely not a zip file');
    const invalid = await torsh(['publish', junk], { env, token, registry: 'http://127.0.0.1:9' });
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toMatch(/^torsh: .*\(PACKAGE_NOT_ZIP\)$/m);

    const anonymousName = uniqueName('cli-anon');
    const anonymousFile = path.join(dir, 'anon.torshpkg');
    await torsh(['pack', packageDir(dir, anonymousName, '1.0.0'), '-o', anonymousFile], { env });
    const anonymous = await torsh(['publish', anonymousFile], { env });
    expect(anonymous.code).toBe(3);
    expect(anonymous.stderr).toMatch(/^torsh: .*\(UNAUTHENTICATED\)$/m);

    const badToken = await torsh(['search', 'x'], { env, token: 'torsh_000000000000_nope' });
    expect(badToken.code).toBe(3);
  });

  test('usage errors exit 1; the server validation message and code are shown (exit 6)', async ({ request }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    expect((await torsh(['download'], { env })).code).toBe(1);
    expect((await torsh(['no-such-command'], { env })).code).toBe(1);
    expect((await torsh(['yank', 'pkg@^1'], { env, token })).code).toBe(1);
    const missingFile = await torsh(['publish', path.join(dir, 'nope.torshpkg')], { env, token });
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toMatch(/^torsh: no such file or directory/m);

    const badName = packageDir(dir, 'Bad_Name', '1.0.0');
    const packed = await torsh(['pack', badName], { env, cwd: dir });
    expect(packed.code).toBe(6);
    expect(packed.stderr).toMatch(/name is not a valid package name \(MANIFEST_NAME_INVALID\)/);

    // A key the server refuses (empty name): its validation message and code come through.
    const keyFile = path.join(dir, 'refused.pem');
    expect((await torsh(['keygen', '-o', keyFile], { env })).code).toBe(0);
    const badKey = await torsh(['keys', 'register', keyFile, '--name', ''], { env, token });
    expect(badKey.code).toBe(6);
    expect(badKey.stderr).toMatch(/^torsh: .+ \([A-Z_]+\)$/m);

    const help = await torsh(['--help'], { env, registry: null });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}ok\n {2}1 {2}usage error/);
    for (const command of ['login', 'pack', 'inspect', 'publish', 'download', 'search', 'yank', 'unyank', 'delete', 'channel', 'keygen', 'keys', 'sign', 'verify', 'encrypt', 'decrypt', 'cache']) {
      expect(help.stdout).toMatch(new RegExp(`\\n {2}${command} `));
    }
  });

  test('login saves a token (mode 0600) that later commands use', async () => {
    const { dir, env } = cliHome();
    const login = await torsh(['login', '--username', ADMIN.username, '--password-stdin'], { env, input: `${ADMIN.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    const configFile = path.join(dir, 'config.json');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    expect(config).toMatchObject({ registry: process.env.E2E_BASE_URL, token: expect.stringMatching(/^torsh_/) });
    // No --registry and no --token: both come from the config file.
    const keyFile = path.join(dir, 'from-login.pem');
    expect((await torsh(['keygen', '-o', keyFile], { env, registry: null })).code).toBe(0);
    const keys = await torsh(['keys', 'register', keyFile, '--name', 'from-login', '--json'], { env, registry: null });
    expect(keys.code, keys.stderr).toBe(0);

    const wrong = await torsh(['login', '--username', ADMIN.username, '--password-stdin'], { env, input: 'wrong-password\n' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/\(INVALID_CREDENTIALS\)/);
  });
});
