import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, parsePublicKey, signDigest } from '../engine/security/signing';
import { EXIT } from './exit-codes';
import { challengeProblem, privateKeyFor, signChallenge } from './key-proof';

describe('challengeProblem', () => {
  it.each([
    ['a base64url nonce', 'q3J0bWFsbGNoYWxsZW5nZS1ub25jZS0xMjM0NTY3ODkw', null],
    ['a prefixed nonce with spaces', 'torsh key proof 2025-01-01 abcdef', null],
    ['33 characters', 'a'.repeat(33), null],
    ['31 characters', 'a'.repeat(31), null],
    ['exactly 32 bytes (could be a package digest)', 'a'.repeat(32), /could be a package digest/],
    ['empty', '', /1 to 1024 characters/],
    ['too long', 'a'.repeat(1025), /1 to 1024 characters/],
    ['not a string', 12345, /1 to 1024 characters/],
    ['an escape sequence', 'abc\u001b[2Jdefghijklmnopqrstuvwxyz0123456789', /printable ASCII/],
    ['a newline', 'abc\ndefghijklmnopqrstuvwxyz0123456789', /printable ASCII/],
    ['non-ASCII', 'défi-challenge-0123456789abcdefghijkl', /printable ASCII/],
  ])('%s', (_, challenge, problem) => {
    const found = challengeProblem(challenge);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it('why 32 bytes are refused: signing them is signing the package whose digest they are', () => {
    const key = generateSigningKey();
    const challenge = 'A'.repeat(32);
    const digest = Buffer.from(challenge, 'utf8').toString('hex');
    expect(signChallenge(key.privateKeyPem, challenge)).toBe(signDigest(key.privateKeyPem, digest));
    expect(challengeProblem(challenge)).toMatch(/could be a package digest/);
  });
});

describe('signChallenge', () => {
  it('is an Ed25519 signature over the UTF-8 bytes of the challenge, by that key', () => {
    const key = generateSigningKey();
    const challenge = 'torsh-key-challenge:0123456789abcdef0123456789';
    const signature = Buffer.from(signChallenge(key.privateKeyPem, challenge), 'base64');
    expect(signature).toHaveLength(64);
    expect(verify(null, Buffer.from(challenge, 'utf8'), parsePublicKey(key.publicKey), signature)).toBe(true);
    expect(verify(null, Buffer.from(`${challenge}x`, 'utf8'), parsePublicKey(key.publicKey), signature)).toBe(false);
    const other = generateSigningKey();
    expect(verify(null, Buffer.from(challenge, 'utf8'), createPublicKey(other.privateKeyPem), signature)).toBe(false);
  });
});

describe('privateKeyFor', () => {
  async function keyFiles() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-key-proof-'));
    const key = generateSigningKey();
    const pem = path.join(dir, 'ci.pem');
    await writeFile(pem, key.privateKeyPem);
    await writeFile(`${pem}.pub`, `${key.publicKey}\n`);
    return { dir, key, pem };
  }

  it('takes the argument itself, keygen’s key beside the .pub, or --key', async () => {
    const { key, pem } = await keyFiles();
    expect(await privateKeyFor(pem, key.publicKey)).toBe(key.privateKeyPem);
    expect(await privateKeyFor(`${pem}.pub`, key.publicKey)).toBe(key.privateKeyPem);
    expect(await privateKeyFor(key.publicKey, key.publicKey, pem)).toBe(key.privateKeyPem);
  });

  it('refuses a bare public key without --key, a --key that is not private, and the wrong private key', async () => {
    const { dir, key, pem } = await keyFiles();
    await expect(privateKeyFor(key.publicKey, key.publicKey)).rejects.toMatchObject({ exitCode: EXIT.USAGE, message: expect.stringMatching(/proves you hold it/) });
    await expect(privateKeyFor(key.publicKey, key.publicKey, `${pem}.pub`)).rejects.toMatchObject({ exitCode: EXIT.USAGE, message: expect.stringMatching(/is not a private key/) });
    const other = generateSigningKey();
    const otherPem = path.join(dir, 'other.pem');
    await writeFile(otherPem, other.privateKeyPem);
    await expect(privateKeyFor(key.publicKey, key.publicKey, otherPem)).rejects.toMatchObject({ exitCode: EXIT.USAGE, message: expect.stringMatching(/is not the private key of/) });
  });
});
