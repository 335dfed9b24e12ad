// Generated model files for the backup benchmark: what checkpoints hold, at the speed of a disk.
import { createHash, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** float32 / bfloat16 weights ~ N(0, 0.02); `random`: already-compressed or quantised tensors. */
export type WeightsKind = 'float32' | 'bfloat16' | 'random';

const PIECE = 4 * 1024 * 1024;

/** `bytes` (a multiple of 4) of `kind` into `out`, from random words (Box–Muller). */
export function fillWeights(out: Buffer, kind: WeightsKind): Buffer {
  randomFillSync(out);
  if (kind === 'random') return out;
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2);
  const f = new Float32Array(2);
  const u = new Uint32Array(f.buffer);
  const step = kind === 'float32' ? 2 : 1;
  for (let i = 0; i + step <= words.length; i += step) {
    const a = (words[i] + 1) / 4294967297;
    const b = words[i + step - 1] / 4294967296;
    const r = Math.sqrt(-2 * Math.log(a)) * 0.02;
    f[0] = r * Math.cos(2 * Math.PI * b);
    f[1] = r * Math.sin(2 * Math.PI * b);
    if (kind === 'float32') {
      words[i] = u[0];
      words[i + 1] = u[1];
    } else {
      words[i] = (u[0] >>> 16) | (u[1] & 0xffff0000); // two bfloat16 values in one word
    }
  }
  return out;
}

/** Writes `bytes` of generated weights to `file` in 4 MiB pieces; returns their sha256. */
export async function writeWeightsFile(file: string, bytes: number, kind: WeightsKind): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const closed = once(out, 'close');
  for (let left = bytes; left > 0; left -= PIECE) {
    const piece = fillWeights(Buffer.allocUnsafe(Math.min(PIECE, left)), kind);
    hash.update(piece);
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await closed;
  return hash.digest('hex');
}
