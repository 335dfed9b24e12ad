import { readFile } from 'node:fs/promises';
import { keyIdOf, parsePublicKey, publicKeyBase64, publicKeyFromPrivate } from '../engine/security/signing';
import { CliError, EXIT } from './exit-codes';

/**
 * A public key given on the command line: a file (the `.pub` written by keygen, an SPKI PEM, or
 * the private key PEM, from which the public half is derived) or the base64 itself.
 * Returns the base64 of the raw 32-byte key and its id.
 */
export async function readPublicKeyArg(arg: string): Promise<{ publicKey: string; keyId: string }> {
  let text = arg;
  try {
    text = await readFile(arg, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENAMETOOLONG') throw err;
    if (!/^[A-Za-z0-9+/]{42,44}={0,2}$/.test(arg.trim()) && !arg.includes('-----BEGIN')) {
      throw new CliError(EXIT.USAGE, `${arg}: no such file, and not a base64 public key`);
    }
  }
  const publicKey = text.includes('PRIVATE KEY-----') ? publicKeyFromPrivate(text) : publicKeyBase64(parsePublicKey(text));
  return { publicKey, keyId: keyIdOf(publicKey) };
}
