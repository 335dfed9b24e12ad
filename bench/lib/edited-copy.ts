// Writes a copy of a model file with a planned set of edits applied (bench/lib/edit-plan.ts).
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Edit } from './edit-plan';
import { fillWeights, type WeightsKind } from './model-weights';

async function* range(file: string, start: number, end: number): AsyncGenerator<Buffer> {
  if (end <= start) return;
  yield* createReadStream(file, { start, end: end - 1, highWaterMark: 4 * 1024 * 1024 }) as AsyncIterable<Buffer>;
}

async function* fresh(length: number, kind: WeightsKind): AsyncGenerator<Buffer> {
  for (let left = length; left > 0; left -= 4 * 1024 * 1024) yield fillWeights(Buffer.allocUnsafe(Math.min(left, 4 * 1024 * 1024)), kind);
}

/** `dst` = `src` with `edits` (new weights of `kind` where they overwrite or insert). */
export async function writeEditedCopy(src: string, dst: string, size: number, edits: Edit[], kind: WeightsKind): Promise<void> {
  const out = createWriteStream(dst);
  const closed = once(out, 'close');
  const write = async (parts: AsyncIterable<Buffer>) => {
    for await (const p of parts) if (!out.write(p)) await once(out, 'drain');
  };
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.at - b.at)) {
    await write(range(src, pos, e.at));
    await write(fresh(e.length, kind));
    pos = e.kind === 'insert' ? e.at : e.at + e.length;
  }
  await write(range(src, pos, size));
  out.end();
  await closed;
}
