import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorForUser } from '../access/actor-for-user';
import { bootstrapAccounts } from '../access/bootstrap';
import { createUser, getUser } from '../access/users';
import { ANONYMOUS, type Actor } from '../actor';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { getVersion, publishVersion } from '../registry';
import { registerProvenKey } from '../test-support/key-proof';
import { listBlobFiles, tempEngine } from '../test-support/temp-engine';
import { revokeKey, trustedKeys } from './keys';
import { setPackageRequireSignature, setPolicy } from './policy';
import { registryKey } from './registry-key';
import { generateSigningKey, signDigest, verifyDigest } from './signing';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

describe('signatures at publish', () => {
  let engine: TestEngine;
  let alice: Actor;
  let bob: Actor;
  beforeEach(async () => {
    engine = await tempEngine();
    await bootstrapAccounts(engine, undefined);
    const mk = async (username: string) => {
      const { id } = await createUser(engine, { username, email: `${username}@x.test`, password: 'long-password-1', roles: ['contributor'] });
      return actorForUser(engine, getUser(engine, id), { sessionId: 's' });
    };
    alice = await mk('alice');
    bob = await mk('bob');
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  async function pkg(name: string, version = '1.0.0') {
    const bytes = await readFile(await writeSamplePackage({ name, version }));
    return { bytes, digest: createHash('sha256').update(bytes).digest('hex') };
  }
  const publish = (actor: Actor, name: string, bytes: Buffer, extra: { signature?: { value: string; keyId: string | null }; browser?: boolean } = {}, version = '1.0.0') =>
    publishVersion(engine, actor, { name, version, source: { kind: 'stream', body: Readable.from([bytes]), contentLength: bytes.length }, ...extra });

  it('verifies a signature by one of the publisher’s registered keys and records key and result', async () => {
    const key = generateSigningKey();
    registerProvenKey(engine, alice, key, 'laptop');
    const p = await pkg('signed');
    await publish(alice, 'signed', p.bytes, { signature: { value: signDigest(key.privateKeyPem, p.digest), keyId: key.keyId } });
    expect(getVersion(engine, 'signed', '1.0.0').signature).toMatchObject({ key_id: key.keyId, status: 'verified', signer: 'alice' });
  });

  it('records invalid signatures and keys that are not the publisher’s; refuses them when a signature is required', async () => {
    const key = generateSigningKey();
    registerProvenKey(engine, alice, key, 'laptop');
    const p1 = await pkg('badsig');
    await publish(alice, 'badsig', p1.bytes, { signature: { value: signDigest(key.privateKeyPem, 'a'.repeat(64)), keyId: key.keyId } });
    expect(getVersion(engine, 'badsig', '1.0.0').signature!.status).toBe('invalid');
    // Bob signs with Alice's key id: not one of *his* keys.
    const p2 = await pkg('stolen');
    await publish(bob, 'stolen', p2.bytes, { signature: { value: signDigest(key.privateKeyPem, p2.digest), keyId: key.keyId } });
    expect(getVersion(engine, 'stolen', '1.0.0').signature!.status).toBe('unknown_key');

    setPolicy(engine, { require_signature: true });
    const before = await listBlobFiles(engine);
    const p3 = await pkg('strict');
    await expect(publish(alice, 'strict', p3.bytes)).rejects.toMatchObject({ code: 'SIGNATURE_REQUIRED', message: expect.stringContaining('not signed') });
    await expect(publish(alice, 'strict', p3.bytes, { signature: { value: signDigest(key.privateKeyPem, 'b'.repeat(64)), keyId: key.keyId } })).rejects.toMatchObject({
      code: 'SIGNATURE_REQUIRED',
    });
    expect(await listBlobFiles(engine)).toEqual(before);
    await publish(alice, 'strict', p3.bytes, { signature: { value: signDigest(key.privateKeyPem, p3.digest), keyId: key.keyId } });
  });

  it('a per-package policy may tighten the global one; only ManageSecurity may loosen it', async () => {
    const p = await pkg('lenient');
    await publish(alice, 'lenient', p.bytes);
    setPackageRequireSignature(engine, alice, 'lenient', true);
    const p2 = await pkg('lenient', '2.0.0');
    await expect(publish(alice, 'lenient', p2.bytes, {}, '2.0.0')).rejects.toMatchObject({ code: 'SIGNATURE_REQUIRED' });

    setPolicy(engine, { require_signature: true });
    setPackageRequireSignature(engine, alice, 'lenient', null);
    // The owner may not exempt the package from the global "on" (nor pin an exemption for later).
    expect(() => setPackageRequireSignature(engine, alice, 'lenient', false)).toThrowError(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('ManageSecurity') }),
    );
    await expect(publish(alice, 'lenient', p2.bytes, {}, '2.0.0')).rejects.toMatchObject({ code: 'SIGNATURE_REQUIRED' });

    const { id } = await createUser(engine, { username: 'sec', email: 'sec@x.test', password: 'long-password-1', roles: ['admin'] });
    const security = actorForUser(engine, getUser(engine, id), { sessionId: 's' });
    expect(security.permissions.has('ManageSecurity')).toBe(true);
    setPackageRequireSignature(engine, security, 'lenient', false);
    await publish(alice, 'lenient', p2.bytes, {}, '2.0.0');
    expect(getVersion(engine, 'lenient', '2.0.0').signature).toBeNull();
  });

  it('signs browser publishes with the registry key (and satisfies the policy), unless turned off', async () => {
    setPolicy(engine, { require_signature: true });
    const p = await pkg('from-browser');
    await publish(alice, 'from-browser', p.bytes, { browser: true });
    const sig = getVersion(engine, 'from-browser', '1.0.0').signature!;
    const rk = await registryKey(engine);
    expect(sig).toMatchObject({ status: 'verified', signer: 'registry', key_id: rk.keyId });
    const trusted = trustedKeys(engine).find((k) => k.key_id === rk.keyId)!;
    expect(verifyDigest(trusted.public_key, p.digest, sig.value)).toBe(true);

    setPolicy(engine, { sign_browser_publishes: false });
    const p2 = await pkg('from-browser', '1.1.0');
    await expect(publish(alice, 'from-browser', p2.bytes, { browser: true }, '1.1.0')).rejects.toMatchObject({ code: 'SIGNATURE_REQUIRED' });
  });

  it('revoking a key flags every version it signed', async () => {
    const key = generateSigningKey();
    registerProvenKey(engine, alice, key, 'old');
    for (const v of ['1.0.0', '1.1.0']) {
      const p = await pkg('revoked-model', v);
      await publish(alice, 'revoked-model', p.bytes, { signature: { value: signDigest(key.privateKeyPem, p.digest), keyId: key.keyId } }, v);
    }
    expect(() => revokeKey(engine, bob, key.keyId)).toThrowError(expect.objectContaining({ code: 'KEY_NOT_FOUND' }));
    expect(revokeKey(engine, alice, key.keyId)).toEqual({ flaggedVersions: 2 });
    expect(getVersion(engine, 'revoked-model', '1.0.0').signature!.status).toBe('revoked');
    expect(trustedKeys(engine).find((k) => k.key_id === key.keyId)!.revoked).toBe(true);
    expect(() => registerProvenKey(engine, bob, key, 'dup')).toThrowError(expect.objectContaining({ code: 'KEY_EXISTS' }));
  });
});

describe('encrypted packages', () => {
  it('are stored opaquely with a stand-in manifest; other bytes flagged as encrypted are refused', async () => {
    const { encryptFile } = await import('./encryption');
    const engine = await tempEngine();
    try {
      await bootstrapAccounts(engine, undefined);
      const plain = await writeSamplePackage({ name: 'secret-weights', version: '1.0.0' });
      const enc = `${plain}.enc`;
      await encryptFile(plain, enc, 'hunter2-hunter2', { log2N: 12 });
      const bytes = await readFile(enc);
      const publish = (body: Buffer, encrypted?: { description?: string }) =>
        publishVersion(engine, ANONYMOUS, {
          name: 'secret-weights',
          version: '1.0.0',
          source: { kind: 'stream', body: Readable.from([body]), contentLength: body.length },
          encrypted,
        });
      await expect(publish(bytes)).rejects.toMatchObject({ code: 'PACKAGE_NOT_ZIP', message: expect.stringContaining('encrypted package') });
      await expect(publish(Buffer.from('plain bytes, not encrypted'), {})).rejects.toMatchObject({ code: 'ENCRYPTED_FORMAT_INVALID' });
      expect(await listBlobFiles(engine)).toEqual([]);
      const res = await publish(bytes, { description: 'fine-tuned, customer data' });
      expect(res.digest).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
      const v = getVersion(engine, 'secret-weights', '1.0.0');
      expect(v).toMatchObject({ encrypted: true, resources: [], manifest: { name: 'secret-weights', description: 'fine-tuned, customer data' } });
    } finally {
      await engine.cleanup();
    }
  });
});
