import { createHash, randomFill } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK = 4 * 1024 * 1024;

function fill(buf: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => randomFill(buf, (err, b) => (err ? reject(err) : resolve(b))));
}

/**
 * Writes `bytes` random bytes to `file` in 4 MiB chunks (never the whole file in memory) and
 * returns their sha256 (hex).
 */
export async function writeRandomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  try {
    for (let left = bytes; left > 0; ) {
      const chunk = await fill(Buffer.allocUnsafe(Math.min(CHUNK, left)));
      hash.update(chunk);
      left -= chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (err) {
    out.destroy();
    throw err;
  }
  out.end();
  await closed;
  return hash.digest('hex');
}
