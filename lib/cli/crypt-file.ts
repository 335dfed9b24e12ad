import { stat } from 'node:fs/promises';
import { decryptFile, encryptFile } from '../engine/security/encryption';
import { createProgress } from './progress';

/**
 * The engine's encryptFile/decryptFile with a progress bar: the same guarantees (a private partial
 * file beside the output, fsynced, renamed; removed on any error, so a wrong password leaves
 * nothing behind).
 */
export async function cryptFile(mode: 'encrypt' | 'decrypt', input: string, output: string, password: string): Promise<void> {
  const { size } = await stat(input);
  const progress = createProgress(mode === 'encrypt' ? 'encrypting' : 'decrypting', { total: size });
  const onProgress = (bytes: number) => progress.update(bytes);
  try {
    if (mode === 'encrypt') await encryptFile(input, output, password, { onProgress });
    else await decryptFile(input, output, password, { onProgress });
    progress.finish();
  } catch (err) {
    progress.abort();
    throw err;
  }
}
