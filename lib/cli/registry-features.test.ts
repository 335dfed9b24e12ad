import { createHash, verify } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, parsePublicKey, signDigest } from '../engine/security/signing';
import { EXIT } from './exit-codes';
import { startFakeRegistry, type FakeRegistry, type Routes } from './test-support/fake-registry';
import { torshInProcess } from './test-support/run-in-process';
import { cliHome, removeHomes, runTorsh } from './test-support/run-torsh';

// The CLI side of delete, channels and key proof, against a loopback fake answering exactly the
// documented responses (the server side lands separately; e2e/cli/delete-channels.spec.ts runs
// the same commands against the real server).

let fake: FakeRegistry | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});
afterAll(removeHomes);

async function cli(routes: Routes, args: string[], env = cliHome().env) {
  fake = await startFakeRegistry(routes);
  return torshInProcess([...args, '--registry', fake.url, '--token', 't', '--retries', '0'], env);
}

const seen = () => fake!.requests.map((r) => `${r.method} ${r.url}`);
const notFound = { status: 404, json: { error: { code: 'VERSION_NOT_FOUND', message: 'resnet@9.9.9 not found' } } };

describe('torsh delete', () => {
  it('NAME@VERSION --yes deletes that version', async () => {
    const result = await cli({ 'DELETE /api/v1/packages/resnet/1.0.0': { json: { name: 'resnet', version: '1.0.0', deleted: true } } }, ['delete', 'resnet@1.0.0', '--yes']);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stderr).toBe('deleted resnet@1.0.0\n');
    expect(seen()).toEqual(['DELETE /api/v1/packages/resnet/1.0.0']);
    expect(fake!.requests[0].headers.authorization).toBe('Bearer t');
  });

  it('NAME --all --yes deletes every version and lists them; --json prints the answer', async () => {
    const answer = { name: 'resnet', deleted_versions: ['1.0.0', '1.1.0'] };
    const result = await cli({ 'DELETE /api/v1/packages/resnet': { json: answer } }, ['delete', 'resnet', '--all', '--yes']);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stderr).toBe('deleted resnet: 2 versions (1.0.0, 1.1.0)\n');
    await fake!.close();
    const json = await cli({ 'DELETE /api/v1/packages/resnet': { json: answer } }, ['delete', 'resnet', '--all', '-y', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(answer);
  });

  it('without --yes and without a terminal it refuses before any request (exit 1)', async () => {
    const result = await cli({}, ['delete', 'resnet@1.0.0']);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toBe('torsh: refusing to delete resnet@1.0.0 without confirmation: stdin is not a terminal; pass --yes\n');
    expect(seen()).toEqual([]);
  });

  it('an absent version is exit 4 with the server code', async () => {
    const result = await cli({ 'DELETE /api/v1/packages/resnet/9.9.9': notFound }, ['delete', 'resnet@9.9.9', '--yes']);
    expect(result.code).toBe(EXIT.NOT_FOUND);
    expect(result.stderr).toBe('torsh: resnet@9.9.9 not found (VERSION_NOT_FOUND)\n');
  });

  it('publishing a deleted (tombstoned) version is a conflict, exit 5', async () => {
    const { dir, env } = cliHome();
    const pkgDir = path.join(dir, 'pkg');
    const manifest = { name: 'resnet', version: '1.0.0', description: 'x', author: 'a', license: 'MIT' };
    mkdirSync(path.join(pkgDir, 'models'), { recursive: true });
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(path.join(pkgDir, 'models', 'model.bin'), 'weights');
    const file = path.join(dir, 'resnet.torshpkg');
    expect((await torshInProcess(['pack', pkgDir, '-o', file], env)).code).toBe(EXIT.OK);
    const tombstoned = { status: 409, json: { error: { code: 'VERSION_TOMBSTONED', message: 'resnet@1.0.0 was deleted and can never be published again' } } };
    const result = await cli({ 'PUT /api/v1/packages/resnet/1.0.0': tombstoned }, ['publish', file], env);
    expect(result.code).toBe(EXIT.CONFLICT);
    expect(result.stderr).toMatch(/^torsh: resnet@1\.0\.0 was deleted and can never be published again \(VERSION_TOMBSTONED\)$/m);
  });

  describe('typed confirmation on a terminal', () => {
    async function onTty(typed: string) {
      fake = await startFakeRegistry({ 'DELETE /api/v1/packages/resnet': { json: { name: 'resnet', deleted_versions: ['1.0.0'] } } });
      return runTorsh(['delete', 'resnet', '--all', '--registry', fake.url, '--token', 't'], { env: cliHome().env, tty: true, input: `${typed}\n` });
    }

    it('a wrong name deletes nothing', async () => {
      const result = await onTty('resnet2');
      expect(result.code).toBe(EXIT.USAGE);
      expect(result.stdout).toMatch(/Type the package name \(resnet\) to confirm: /);
      expect(result.stdout).toMatch(/the name typed does not match resnet; nothing was deleted/);
      expect(seen()).toEqual([]);
    });

    it('the right name deletes', async () => {
      const result = await onTty('resnet');
      expect(result.code, result.stdout).toBe(EXIT.OK);
      expect(result.stdout).toMatch(/deleted resnet: 1 version \(1\.0\.0\)/);
      expect(seen()).toEqual(['DELETE /api/v1/packages/resnet']);
    });
  });
});

describe('torsh channel', () => {
  const channels = { channels: [{ name: 'production', version: '1.2.0', updated_at: Date.UTC(2026, 0, 2, 3, 4, 5), updated_by: 'alice' }] };

  it('ls prints the channels; --json the answer', async () => {
    const result = await cli({ 'GET /api/v1/packages/resnet/channels': { json: channels } }, ['channel', 'ls', 'resnet']);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stdout).toBe('CHANNEL     VERSION  UPDATED               BY\nproduction  1.2.0    2026-01-02T03:04:05Z  alice\n');
    await fake!.close();
    const json = await cli({ 'GET /api/v1/packages/resnet/channels': { json: channels } }, ['channel', 'ls', 'resnet', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(channels);
  });

  it('set PUTs {version}; rm DELETEs', async () => {
    const set = await cli({ 'PUT /api/v1/packages/resnet/channels/production': { json: channels.channels[0] } }, ['channel', 'set', 'resnet', 'production', '1.2.0']);
    expect(set.code, set.stderr).toBe(EXIT.OK);
    expect(set.stderr).toBe('resnet@production → 1.2.0\n');
    expect(fake!.requests.map((r) => [r.method, r.url, r.body, r.headers['content-type']])).toEqual([['PUT', '/api/v1/packages/resnet/channels/production', '{"version":"1.2.0"}', 'application/json']]);
    await fake!.close();
    const rm = await cli({ 'DELETE /api/v1/packages/resnet/channels/production': { json: channels.channels[0] } }, ['channel', 'rm', 'resnet', 'production']);
    expect(rm.code, rm.stderr).toBe(EXIT.OK);
    expect(rm.stderr).toBe('removed channel production of resnet\n');
    expect(seen()).toEqual(['DELETE /api/v1/packages/resnet/channels/production']);
  });

  it('without ManageVersions the server answer comes through (exit 3)', async () => {
    const forbidden = { status: 403, json: { error: { code: 'FORBIDDEN', message: 'you may not manage versions of resnet' } } };
    const result = await cli({ 'PUT /api/v1/packages/resnet/channels/production': forbidden }, ['channel', 'set', 'resnet', 'production', '1.2.0']);
    expect(result.code).toBe(EXIT.AUTH);
    expect(result.stderr).toBe('torsh: you may not manage versions of resnet (FORBIDDEN)\n');
  });
});

describe('usage errors of delete and channel: refused before any request (exit 1)', () => {
  it.each([
    ['delete: a bare name without --all', ['delete', 'resnet', '--yes'], /give name@version, or the name with --all/],
    ['delete: --all with a version', ['delete', 'resnet@1.0.0', '--all', '--yes'], /--all deletes a whole package/],
    ['delete: a range', ['delete', 'resnet@^1', '--yes'], /expected <name>@<exact version>/],
    ['delete: an invalid name', ['delete', 'Res/Net', '--all', '--yes'], /invalid package name/],
    ['channel: a route word', ['channel', 'set', 'resnet', 'latest', '1.0.0'], /invalid channel name "latest"/],
    ['channel: an upper-case name', ['channel', 'rm', 'resnet', 'Prod'], /invalid channel name "Prod"/],
    ['channel: a name starting with a digit', ['channel', 'set', 'resnet', '1prod', '1.0.0'], /invalid channel name/],
    ['channel: a range instead of a version', ['channel', 'set', 'resnet', 'production', '^1'], /expected an exact version, got "\^1"/],
    ['channel: an invalid package name', ['channel', 'ls', '../x'], /invalid package name/],
  ])('%s', async (_, args, message) => {
    const result = await cli({}, args);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toMatch(message);
    expect(seen()).toEqual([]);
  });
});

describe('torsh download NAME@CHANNEL', () => {
  const bytes = Buffer.from('resnet 1.2.0 weights');
  const hex = createHash('sha256').update(bytes).digest('hex');
  const meta = (signature: unknown = null) => ({ name: 'resnet', version: '1.2.0', digest: `sha256:${hex}`, size: bytes.length, yanked: false, signature });
  const download = { 'GET /api/v1/packages/resnet/1.2.0/download': { body: bytes } };

  it('asks the registry for the channel, then downloads that exact version (and caches it under it)', async () => {
    const { dir, env } = cliHome();
    const result = await cli({ 'GET /api/v1/packages/resnet/production': { json: meta() }, ...download }, ['download', 'resnet@production', '-o', `${dir}/`, '--json'], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: '1.2.0', channel: 'production', path: path.join(dir, 'resnet-1.2.0.torshpkg'), digest: `sha256:${hex}` });
    // The locations route is asked first (failover); this registry has none (404), so its own download serves.
    expect(seen()).toEqual(['GET /api/v1/packages/resnet/production', 'GET /api/v1/packages/resnet/1.2.0/locations', 'GET /api/v1/packages/resnet/1.2.0/download']);
    expect(readFileSync(path.join(dir, 'resnet-1.2.0.torshpkg'))).toEqual(bytes);
    const index = JSON.parse(readFileSync(path.join(dir, 'cache', 'index.json'), 'utf8'));
    expect(Object.keys(index.entries)).toEqual(['resnet@1.2.0']);
  });

  it('--verify checks the signature of the version the channel points at', async () => {
    const { dir, env } = cliHome();
    const key = generateSigningKey();
    const trusted = { 'GET /api/v1/keys/trusted': { json: { keys: [{ key_id: key.keyId, public_key: key.publicKey, owner: 'alice', revoked: false }] } } };
    const signature = { key_id: key.keyId, value: signDigest(key.privateKeyPem, hex), status: 'verified' };
    const result = await cli({ 'GET /api/v1/packages/resnet/production': { json: meta(signature) }, ...download, ...trusted }, ['download', 'resnet@production', '--verify', '-o', `${dir}/`], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(result.stderr).toMatch(new RegExp(`signature ok: key ${key.keyId} \\(alice\\), trusted via the registry`));
    expect(result.stderr).toMatch(/downloaded resnet@1\.2\.0 \(channel production\)/);
  });

  it('an unknown channel is exit 4; a selector that is neither is a usage error', async () => {
    const missing = await cli({ 'GET /api/v1/packages/resnet/staging': { status: 404, json: { error: { code: 'CHANNEL_NOT_FOUND', message: 'resnet has no channel staging' } } } }, ['download', 'resnet@staging']);
    expect(missing.code).toBe(EXIT.NOT_FOUND);
    await fake!.close();
    const neither = await cli({}, ['download', 'resnet@Not_A_Channel']);
    expect(neither.code).toBe(EXIT.USAGE);
    expect(neither.stderr).toMatch(/is neither a version, a semver range, a channel name nor "latest"/);
    expect(seen()).toEqual([]);
  });
});

describe('torsh keys: proof of possession and status', () => {
  const challenge = 'torsh-key-challenge.8Qm2yS0kq1c4b3n5v7x9z0a2d4f6h8j';
  const issued = { 'POST /api/v1/keys/challenge': { json: { challenge, expires_at: Date.now() + 300_000 } } };
  const created = (req: { body: string }) => {
    const body = JSON.parse(req.body);
    const ok = verify(null, Buffer.from(body.challenge, 'utf8'), parsePublicKey(body.public_key), Buffer.from(body.signature, 'base64'));
    return ok && body.challenge === challenge
      ? { status: 201, json: { key_id: 'k', fingerprint: 'f', name: body.name } }
      : { status: 422, json: { error: { code: 'KEY_PROOF_INVALID', message: 'the signature does not prove the key' } } };
  };

  async function keyFiles() {
    const { dir, env } = cliHome();
    const key = generateSigningKey();
    const pem = path.join(dir, 'ci.pem');
    writeFileSync(pem, key.privateKeyPem);
    writeFileSync(`${pem}.pub`, `${key.publicKey}\n`);
    return { dir, env, key, pem };
  }

  it.each([
    ['the private key', (pem: string) => [pem]],
    ["keygen's .pub (its private key beside it)", (pem: string) => [`${pem}.pub`]],
  ])('register with %s: asks for a challenge, signs it, sends the proof', async (_, arg) => {
    const { env, key, pem } = await keyFiles();
    const result = await cli({ ...issued, 'POST /api/v1/keys': created }, ['keys', 'register', ...arg(pem), '--name', 'ci'], env);
    expect(result.code, result.stderr).toBe(EXIT.OK);
    expect(seen()).toEqual(['POST /api/v1/keys/challenge', 'POST /api/v1/keys']);
    expect(fake!.requests[0].body).toBe('{}');
    expect(JSON.parse(fake!.requests[1].body)).toMatchObject({ name: 'ci', public_key: key.publicKey, challenge });
    expect(result.stdout).toBe('key id:      k\nfingerprint: f\n');
  });

  it('a bare public key without its private key is a usage error before any request', async () => {
    const { env, key } = await keyFiles();
    const result = await cli({ ...issued }, ['keys', 'register', key.publicKey, '--name', 'ci'], env);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toMatch(/registering a key proves you hold it/);
    expect(seen()).toEqual([]);
  });

  it('a challenge that could be a package digest (32 bytes) is not signed (exit 7, no key sent)', async () => {
    const { env, pem } = await keyFiles();
    const result = await cli({ 'POST /api/v1/keys/challenge': { json: { challenge: 'A'.repeat(32), expires_at: 0 } }, 'POST /api/v1/keys': created }, ['keys', 'register', pem, '--name', 'ci'], env);
    expect(result.code).toBe(EXIT.INTEGRITY);
    expect(result.stderr).toMatch(/the registry's challenge cannot be signed: .*could be a package digest/);
    expect(seen()).toEqual(['POST /api/v1/keys/challenge']);
  });

  it('prove prints a signature the public key verifies; --json adds the key', async () => {
    const { env, key, pem } = await keyFiles();
    const text = await torshInProcess(['keys', 'prove', '--key', pem, '--challenge', challenge], env);
    expect(text.code, text.stderr).toBe(EXIT.OK);
    const signature = Buffer.from(text.stdout.trim(), 'base64');
    expect(verify(null, Buffer.from(challenge), parsePublicKey(key.publicKey), signature)).toBe(true);
    const json = JSON.parse((await torshInProcess(['keys', 'prove', '--key', pem, '--challenge', challenge, '--json'], env)).stdout);
    expect(json).toEqual({ key_id: key.keyId, public_key: key.publicKey, signature: text.stdout.trim() });
    const refused = await torshInProcess(['keys', 'prove', '--key', pem, '--challenge', 'A'.repeat(32)], env);
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stdout).toBe('');
  });

  it('ls marks a locally trusted key the registry revoked, and an entry whose id is not its key; verify refuses the revoked one', async () => {
    const { dir, env, key, pem } = await keyFiles();
    const other = generateSigningKey();
    writeFileSync(
      env.TORSH_TRUST_FILE!,
      JSON.stringify({ keys: [{ key_id: key.keyId, public_key: key.publicKey }, { key_id: '0000000000000000', public_key: other.publicKey }] }),
    );
    // The revocation names the key by id; the entry's public key is garbled, and the revocation still counts.
    const revokedEntry = { key_id: key.keyId, public_key: other.publicKey, owner: 'alice', revoked: true };
    const trusted = { 'GET /api/v1/keys/trusted': { json: { keys: [revokedEntry, { key_id: other.keyId, public_key: other.publicKey, owner: 'bob', revoked: false }] } } };
    const ls = await cli(trusted, ['keys', 'ls', '--json'], env);
    expect(ls.code, ls.stderr).toBe(EXIT.OK);
    expect(JSON.parse(ls.stdout)).toEqual({
      local: [expect.objectContaining({ key_id: key.keyId, status: 'revoked' }), expect.objectContaining({ key_id: '0000000000000000', status: 'invalid' })],
      registry: [expect.objectContaining({ key_id: key.keyId, status: 'revoked' }), expect.objectContaining({ key_id: other.keyId, status: 'trusted' })],
    });
    await fake!.close();

    const file = path.join(dir, 'f.bin');
    writeFileSync(file, 'signed bytes');
    const sig = signDigest(readFileSync(pem, 'utf8'), createHash('sha256').update('signed bytes').digest('hex'));
    const verified = await cli(trusted, ['verify', file, '--signature', sig, '--key-id', key.keyId], env);
    expect(verified.code).toBe(EXIT.INTEGRITY);
    expect(verified.stderr).toBe(`torsh: key ${key.keyId} has been revoked\n`);
  });
});
