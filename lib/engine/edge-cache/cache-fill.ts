import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

export type FillHead = {
  name: string;
  version: string;
  /** From the origin's Content-Length; null when it sent none (then no Range on this miss). */
  size: number | null;
  headers: Record<string, string>;
};

const CHUNK = 1024 * 1024;
const MAX_BATCH = 8 * 1024 * 1024;

async function writeAll(file: FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs;
  let pos = position;
  while (rest.length > 0) {
    let n = (await file.writev(rest, pos)).bytesWritten;
    pos += n;
    while (rest.length > 0 && n >= rest[0].length) {
      n -= rest[0].length;
      rest = rest.slice(1);
    }
    if (n > 0) rest = [rest[0].subarray(n), ...rest.slice(1)];
  }
}

/**
 * One object being fetched from the origin into a temp file. Any number of readers stream
 * from the file as the bytes land (positional reads on the fill's own handle, so the later
 * rename into the cache or the removal of a failed fill does not disturb them). The writer
 * never waits for readers: a slow or vanished client does not slow or abort the fill.
 */
export class CacheFill {
  written = 0;
  state: 'filling' | 'done' | 'failed' = 'filling';
  error: Error | undefined;
  /** Set by the cache once the entry is published (a reader that comes after the handle closed reads it). */
  publishedPath: string | undefined;
  /** A purge named this object while it was being fetched: it is served but not kept. */
  discarded = false;
  private readers = 0;
  private settled = false;
  private closed = false;
  private readonly events = new EventEmitter().setMaxListeners(0);

  private constructor(
    readonly key: string,
    readonly head: FillHead,
    readonly temp: string,
    private readonly file: FileHandle,
  ) {}

  static async create(key: string, head: FillHead, temp: string): Promise<CacheFill> {
    return new CacheFill(key, head, temp, await open(temp, 'w+'));
  }

  /** The size once known: the origin's Content-Length, or what arrived once the fill is done. */
  get size(): number | null {
    return this.head.size ?? (this.state === 'done' ? this.written : null);
  }

  /**
   * Copy the origin's body into the temp file, check its length (and sha256 when the origin
   * named one) and make it durable; then the cache publishes it and calls finish(). On any
   * failure the temp file is removed and readers get the error.
   */
  async run(source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>, digest?: string): Promise<void> {
    const hash = createHash('sha256');
    let received = 0;
    // Chunks arriving while a write is in flight are written together (one writev): the origin's
    // small socket chunks would otherwise cost a thread-pool round trip each.
    let batch: Buffer[] = [];
    let batched = 0;
    let writing: Promise<void> | null = null;
    const drain = async () => {
      while (batch.length > 0) {
        const bufs = batch;
        const bytes = batched;
        batch = [];
        batched = 0;
        await writeAll(this.file, bufs, this.written);
        this.written += bytes;
        this.events.emit('progress');
      }
    };
    let writeError: unknown;
    const startDrain = () => {
      if (writeError) throw writeError;
      writing ??= drain()
        .catch((err) => {
          writeError = err;
          throw err;
        })
        .finally(() => (writing = null));
      writing.catch(() => {}); // awaited below; this only keeps it from counting as unhandled
      return writing;
    };
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        received += buf.length;
        if (this.head.size !== null && received > this.head.size) throw new Error(`the origin sent more than the ${this.head.size} bytes it announced`);
        hash.update(buf);
        batch.push(buf);
        batched += buf.length;
        const inFlight = startDrain();
        if (batched >= MAX_BATCH) await inFlight; // bounded memory: let the disk catch up
      }
      while (writing || batch.length > 0) await startDrain();
      if (this.head.size !== null && this.written !== this.head.size) throw new Error(`the origin's body ended after ${this.written} of ${this.head.size} bytes`);
      if (digest && hash.digest('hex') !== digest) throw new Error(`the origin's body does not match its digest sha256:${digest}`);
      await this.file.sync();
    } catch (err) {
      await (writing as Promise<void> | null)?.catch(() => {});
      // Removed before the readers hear of it: once a client sees the error, nothing is left.
      await rm(this.temp, { force: true });
      this.state = 'failed';
      this.error = err instanceof Error ? err : new Error(String(err));
      this.events.emit('progress');
      throw this.error;
    }
  }

  /**
   * The cache has published (or dropped) the verified body: readers may now take the last byte,
   * so a client that got a whole answer finds the entry on its next request.
   */
  finish(): void {
    this.state = 'done';
    this.events.emit('progress');
  }

  /** The cache no longer hands this fill out: the handle closes once its last reader is done. */
  settle(): void {
    this.settled = true;
    this.maybeClose();
  }

  private maybeClose(): void {
    if (this.closed || !this.settled || this.state === 'filling' || this.readers > 0) return;
    this.closed = true;
    this.file.close().catch(() => {});
  }

  /** Bytes start..end (inclusive; end null = to the last byte), as they arrive. */
  reader(start: number, end: number | null): Readable {
    if (this.closed) {
      if (this.state === 'done' && this.publishedPath) return createReadStream(this.publishedPath, { start, end: end ?? undefined });
      return Readable.from((async function* () {
        throw new Error('this object is no longer in the cache');
      })());
    }
    this.readers++;
    let released = false;
    let pos = start;
    const release = () => {
      if (released) return;
      released = true;
      this.readers--;
      this.maybeClose();
    };
    const next = async (): Promise<Buffer | null> => {
      for (;;) {
        if (this.state === 'failed') throw this.error ?? new Error('the fill failed');
        const stop = end !== null ? end + 1 : this.state === 'done' ? this.written : Infinity;
        if (pos >= stop) return null;
        // The object's last byte goes out only once the fill is verified, durable and published: a
        // client never sees a complete answer for a body that turns out short or corrupt.
        const ready = this.state === 'done' ? this.written : Math.min(this.written, (this.head.size ?? Infinity) - 1);
        if (pos < ready) {
          const want = Math.min(CHUNK, ready - pos, stop - pos);
          const buf = Buffer.allocUnsafe(want);
          const { bytesRead } = await this.file.read(buf, 0, want, pos);
          if (bytesRead === 0) throw new Error('the cached file is shorter than expected');
          pos += bytesRead;
          return bytesRead === want ? buf : buf.subarray(0, bytesRead);
        }
        if (this.state === 'done') throw new Error(`the range ends after the ${this.written}-byte object`);
        await new Promise((resolve) => this.events.once('progress', resolve));
      }
    };
    return new Readable({
      highWaterMark: CHUNK,
      read() {
        next().then(
          (buf) => this.push(buf),
          (err: Error) => this.destroy(err),
        );
      },
      destroy(err, cb) {
        release();
        cb(err);
      },
    });
  }
}
