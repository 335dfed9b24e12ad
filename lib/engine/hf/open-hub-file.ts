import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { getWithFailover } from '../replication/failover-download';
import type { ByteRange } from '../storage/blob-store';
import type { HubEntry } from './hub-entries';

/** Passes on only bytes [start, end] (inclusive) of the stream it is fed, and ends as soon as they are out. */
function sliceBytes(start: number, end: number, onDone: () => void): Transform {
  let pos = 0;
  let done = false;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (done) return cb();
      const from = Math.max(start - pos, 0);
      const to = Math.min(end + 1 - pos, chunk.length);
      pos += chunk.length;
      if (to > from) this.push(from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to));
      if (pos > end) {
        done = true;
        this.push(null);
        onDone();
      }
      cb();
    },
  });
}

/**
 * The bytes of one repo file (or an inclusive range of them). A stored entry is a byte range of
 * the package blob, read straight from the store; a deflated one is inflated on the fly and a
 * range of it reached by inflating and skipping what comes before.
 */
export async function openHubFile(engine: Engine, row: Pick<VersionRow, 'digest' | 'size' | 'version'>, entry: HubEntry, range?: ByteRange): Promise<Readable> {
  if (range && (range.start < 0 || range.start > range.end || range.end >= entry.size)) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside 0-${entry.size - 1}`);
  }
  if (entry.method === 'stored') {
    if (entry.size === 0) return Readable.from([]);
    const start = entry.dataOffset + (range?.start ?? 0);
    const end = entry.dataOffset + (range?.end ?? entry.size - 1);
    return getWithFailover(engine, row, { start, end });
  }
  const raw = await getWithFailover(engine, row, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1 });
  const inflate = createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  raw.pipe(inflate);
  if (!range) return inflate;
  // Once the range is out, stop reading and inflating the rest of the entry.
  const slice = sliceBytes(range.start, range.end, () => {
    inflate.unpipe(slice);
    raw.destroy();
    inflate.destroy();
  });
  inflate.on('error', (err) => slice.destroy(err));
  return inflate.pipe(slice);
}
