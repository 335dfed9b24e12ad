import { generateSigningKey, signDigest, verifyDigest } from '../../lib/engine/security/signing';
import { expect, test } from '../support/fixtures';
import { provenKeyBody } from '../support/key-proof';
import { blobFiles, publish, samplePackage, uniqueName, userWithToken } from '../support/registry';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test.describe('signing', () => {
  test('a publish signed with a registered key is verified; revoking the key flags it', async ({ api, request }) => {
    const username = uniqueName('signer');
    const { token } = await userWithToken(api, request, { username, roles: ['contributor'] });
    const key = generateSigningKey();
    const unproven = await request.post('/api/v1/keys', { data: { name: 'ci', public_key: key.publicKey }, headers: bearer(token) });
    expect(unproven.status()).toBe(422);
    expect((await unproven.json()).error.code).toBe('KEY_PROOF_INVALID');
    const reg = await request.post('/api/v1/keys', { data: await provenKeyBody(request, bearer(token), key, 'ci'), headers: bearer(token) });
    expect(reg.status()).toBe(201);
    expect(await reg.json()).toMatchObject({ key_id: key.keyId, owner: username, revoked_at: null });
    const dup = await request.post('/api/v1/keys', { data: await provenKeyBody(request, bearer(token), key, 'again'), headers: bearer(token) });
    expect(dup.status()).toBe(409);
    const junk = await request.post('/api/v1/keys', { data: { name: 'junk', public_key: 'not-a-key' }, headers: bearer(token) });
    expect(junk.status()).toBe(400);

    const name = uniqueName('signed');
    const pkg = await samplePackage({ name, version: '1.0.0' });
    const sig = signDigest(key.privateKeyPem, pkg.digest);
    const res = await publish(request, name, '1.0.0', pkg.bytes, { ...bearer(token), 'x-torsh-signature': sig, 'x-torsh-key-id': key.keyId });
    expect(res.status()).toBe(201);
    const meta = await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json();
    expect(meta.signature).toMatchObject({ key_id: key.keyId, status: 'verified', signer: username, value: sig });

    // Clients verify against the registry's published keys.
    const trusted = await (await request.get('/api/v1/keys/trusted')).json();
    const published = trusted.keys.find((k: { key_id: string }) => k.key_id === key.keyId);
    expect(verifyDigest(published.public_key, pkg.digest, meta.signature.value)).toBe(true);

    expect((await request.delete(`/api/v1/keys/${key.keyId}`)).status()).toBe(401);
    const revoke = await request.delete(`/api/v1/keys/${key.keyId}`, { headers: bearer(token) });
    expect(await revoke.json()).toEqual({ flaggedVersions: 1 });
    expect((await (await request.get(`/api/v1/packages/${name}/1.0.0`)).json()).signature.status).toBe('revoked');
    const after = await (await request.get('/api/v1/keys/trusted')).json();
    expect(after.keys.find((k: { key_id: string }) => k.key_id === key.keyId).revoked).toBe(true);
  });

  test('with "require signature" on, unsigned and unverifiable API publishes are refused and nothing is stored', async ({ api, request }) => {
    const username = uniqueName('strict');
    const { token } = await userWithToken(api, request, { username, roles: ['contributor'] });
    expect((await request.put('/api/v1/policies', { data: { require_signature: true }, headers: bearer(token) })).status()).toBe(403);
    expect((await api.put('/api/v1/policies', { data: { require_signature: true } })).status()).toBe(200);
    try {
      const name = uniqueName('needs-sig');
      const pkg = await samplePackage({ name, version: '1.0.0' });
      const before = blobFiles();
      const unsigned = await publish(request, name, '1.0.0', pkg.bytes, bearer(token));
      expect(unsigned.status()).toBe(422);
      expect((await unsigned.json()).error).toMatchObject({ code: 'SIGNATURE_REQUIRED', message: expect.stringContaining('not signed') });
      const stranger = generateSigningKey();
      const unknown = await publish(request, name, '1.0.0', pkg.bytes, {
        ...bearer(token),
        'x-torsh-signature': signDigest(stranger.privateKeyPem, pkg.digest),
        'x-torsh-key-id': stranger.keyId,
      });
      expect(unknown.status()).toBe(422);
      expect(blobFiles()).toEqual(before);
      expect((await request.get(`/api/v1/packages/${name}`)).status()).toBe(404);
    } finally {
      expect((await api.put('/api/v1/policies', { data: { require_signature: false } })).status()).toBe(200);
    }
  });

  test('a per-package policy applies to that package only', async ({ api }) => {
    const name = uniqueName('pkg-policy');
    expect((await publish(api, name, '1.0.0', (await samplePackage({ name, version: '1.0.0' })).bytes)).status()).toBe(201);
    const set = await api.patch(`/api/v1/packages/${name}/access`, { data: { require_signature: true } });
    expect((await set.json()).require_signature).toBe(true);
    const refused = await publish(api, name, '1.1.0', (await samplePackage({ name, version: '1.1.0' })).bytes);
    expect(refused.status()).toBe(422);
    const other = uniqueName('free');
    expect((await publish(api, other, '1.0.0', (await samplePackage({ name: other, version: '1.0.0' })).bytes)).status()).toBe(201);
  });
});
