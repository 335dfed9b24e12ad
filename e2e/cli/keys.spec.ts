import { readFileSync } from 'node:fs';
import path from 'node:path';
import { adminToken, expect, test } from '../support/fixtures';
import { uniqueName } from '../support/registry';
import { cliHome, packageDir, torsh, removeHomes } from './cli';

test.afterAll(removeHomes);

test.describe('torsh keys: proof of possession, status', () => {
  test('register proves the key; ls shows it trusted, then revoked; download --verify refuses the revoked key', async ({ request, api }) => {
    const token = await adminToken(request);
    const { dir, env } = cliHome();
    const run = (args: string[]) => torsh(args, { env, token });
    const keyFile = path.join(dir, 'ci.pem');
    const key = JSON.parse((await run(['keygen', '-o', keyFile, '--json'])).stdout) as { key_id: string; public_key: string };

    // A bare public key cannot be registered: the private key must sign the challenge.
    const bare = await run(['keys', 'register', key.public_key, '--name', 'bare']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/registering a key proves you hold it/);

    const registered = await run(['keys', 'register', `${keyFile}.pub`, '--name', uniqueName('e2e-proof'), '--json']);
    expect(registered.code, registered.stderr).toBe(0);
    expect(JSON.parse(registered.stdout).key_id).toBe(key.key_id);

    const status = async () => {
      const ls = await run(['keys', 'ls', '--json']);
      expect(ls.code, ls.stderr).toBe(0);
      return (JSON.parse(ls.stdout).registry as { key_id: string; status: string }[]).find((k) => k.key_id === key.key_id)?.status;
    };
    expect(await status()).toBe('trusted');

    const name = uniqueName('cli-revoked');
    const file = path.join(dir, 'pkg.torshpkg');
    expect((await run(['pack', packageDir(dir, name, '1.0.0', 4), '-o', file])).code).toBe(0);
    const published = await run(['publish', file, '--sign', keyFile]);
    expect(published.code, published.stderr).toBe(0);
    expect((await run(['download', `${name}@1.0.0`, '--verify', '-o', `${dir}/`, '--no-cache'])).code).toBe(0);

    expect((await api.delete(`/api/v1/keys/${key.key_id}`)).status()).toBe(200);
    expect(await status()).toBe('revoked');
    const refused = await run(['download', `${name}@1.0.0`, '--verify', '-o', path.join(dir, 'refused.torshpkg'), '--no-cache']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/which has been revoked; nothing was downloaded/);
  });

  test("prove signs the challenge of the browser's Register key dialog (the same API call)", async ({ api }) => {
    const { dir, env } = cliHome();
    const keyFile = path.join(dir, 'browser.pem');
    const key = JSON.parse((await torsh(['keygen', '-o', keyFile, '--json'], { env })).stdout) as { key_id: string; public_key: string };
    const issued = await api.post('/api/v1/keys/challenge', { data: {} });
    expect(issued.status(), await issued.text()).toBe(200);
    const { challenge } = (await issued.json()) as { challenge: string };

    const proved = await torsh(['keys', 'prove', '--key', keyFile, '--challenge', challenge], { env, registry: null });
    expect(proved.code, proved.stderr).toBe(0);
    const created = await api.post('/api/v1/keys', { data: { name: uniqueName('e2e-prove'), public_key: key.public_key, challenge, signature: proved.stdout.trim() } });
    expect(created.status(), await created.text()).toBe(201);
    expect((await created.json()).key_id).toBe(key.key_id);

    // A signature by another key does not prove a key: nothing is registered.
    const other = path.join(dir, 'other.pem');
    expect((await torsh(['keygen', '-o', other], { env })).code).toBe(0);
    const otherPublic = readFileSync(`${other}.pub`, 'utf8').trim();
    const again = (await (await api.post('/api/v1/keys/challenge', { data: {} })).json()) as { challenge: string };
    const byWrongKey = await torsh(['keys', 'prove', '--key', keyFile, '--challenge', again.challenge], { env, registry: null });
    const refused = await api.post('/api/v1/keys', { data: { name: uniqueName('e2e-squat'), public_key: otherPublic, challenge: again.challenge, signature: byWrongKey.stdout.trim() } });
    expect([400, 422]).toContain(refused.status());
    const mine = (await (await api.get('/api/v1/keys')).json()) as { keys: { public_key: string }[] };
    expect(mine.keys.map((k) => k.public_key)).not.toContain(otherPublic);
  });
});
