import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream } from '../engine/security/encryption';
import { createProgress } from './progress';

/**
 * encryptFile/decryptFile of the engine with a progress bar: the same streams and the same
 * guarantees (a random partial file beside the output, fsynced, renamed; removed on any error,
 * so a wrong password leaves nothing behind).
 */
export async function cryptFile(mode: 'encrypt' | 'decrypt', input: string, output: string, password: string): Promise<void> {
  const { size } = await stat(input);
  const progress = createProgress(mode === 'encrypt' ? 'encrypting' : 'decrypting', { total: size });
  let done = 0;
  const counter = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, cb) {
      done += chunk.length;
      progress.update(done);
      cb(null, chunk);
    },
  });
  const cipher = mode === 'encrypt' ? createEncryptStream(password) : createDecryptStream(password);
  const partial = `${output}.partial-${randomBytes(8).toString('hex')}`;
  const sink = createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true });
  try {
    await pipeline(createReadStream(input, { highWaterMark: 1 << 20 }), counter, cipher, sink);
    await rename(partial, output);
    progress.finish();
  } catch (err) {
    progress.abort();
    cipher.destroy();
    sink.destroy();
    if (!sink.closed) await once(sink, 'close').catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  }
}
