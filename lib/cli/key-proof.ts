import { createPrivateKey, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { publicKeyFromPrivate } from '../engine/security/signing';
import { CliError, EXIT } from './exit-codes';

const MAX_CHALLENGE_LENGTH = 1024;

/**
 * Why a challenge must not be signed, or null. Package signatures cover the 32 raw bytes of a
 * sha256 digest, so a 32-byte "challenge" could be a package digest chosen by whoever shows it:
 * signing it would sign that package. Anything but printable ASCII is refused too (what is
 * signed must be what was seen).
 */
export function challengeProblem(challenge: unknown): string | null {
  if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > MAX_CHALLENGE_LENGTH) {
    return `a challenge is a string of 1 to ${MAX_CHALLENGE_LENGTH} characters`;
  }
  if (!/^[\x20-\x7e]+$/.test(challenge)) return 'a challenge is printable ASCII';
  if (challenge.length === 32) return 'a challenge of exactly 32 bytes could be a package digest; refusing to sign it';
  return null;
}

/** Base64 Ed25519 signature over the UTF-8 bytes of `challenge` (checked by challengeProblem first). */
export function signChallenge(privateKeyPem: string, challenge: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new CliError(EXIT.USAGE, 'the private key is not an Ed25519 key');
  return sign(null, Buffer.from(challenge, 'utf8'), key).toString('base64');
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENAMETOOLONG') return null;
    throw err;
  }
}

/**
 * The private key of `publicKey`: `--key`, else the argument itself when it is a private key, else
 * the `<keyfile>` that torsh keygen wrote beside `<keyfile>.pub`.
 */
export async function privateKeyFor(arg: string, publicKey: string, keyFile?: string): Promise<string> {
  const candidates = keyFile ? [keyFile] : [arg, ...(arg.endsWith('.pub') ? [arg.slice(0, -'.pub'.length)] : [])];
  for (const file of candidates) {
    const text = keyFile ? await readFile(file, 'utf8') : await readIfExists(file);
    if (!text?.includes('PRIVATE KEY-----')) {
      if (keyFile) throw new CliError(EXIT.USAGE, `${keyFile} is not a private key (PEM)`);
      continue;
    }
    if (publicKeyFromPrivate(text) !== publicKey) throw new CliError(EXIT.USAGE, `${file} is not the private key of ${arg}`);
    return text;
  }
  throw new CliError(
    EXIT.USAGE,
    `registering a key proves you hold it: give its private key (the file torsh keygen wrote) or --key <private.pem>`,
  );
}
