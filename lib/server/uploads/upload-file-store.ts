import { open } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS, type Upload } from '@tus/server';
import { fileWriteStream, type WriteStreamFactory } from '@/lib/engine/storage/local-blob-store';
import { isOutOfSpace } from '@/lib/engine/storage/out-of-space';
import { log } from '../log';

export type UploadFileStoreOptions = {
  directory: string;
  expiryMs: number;
  /** Stamps each upload's creation (its expiry counts from there). */
  now: () => number;
  writeStream?: WriteStreamFactory;
};

/** tus's answer when the disk is full: 507, and the upload stays resumable from what was written. */
export const OUT_OF_SPACE_ANSWER = {
  status_code: 507,
  body: 'the registry has run out of storage space; resume this upload later\n',
};

/**
 * tus's FileStore with the registry's clock for creation dates, and chunk writes whose failures
 * are logged (one structured line) and told apart: a full disk is 507, anything else tus's 500
 * (a client that went away is turned into tus's ABORTED by its handler).
 */
export class UploadFileStore extends FileStore {
  private readonly now: () => number;
  private readonly writeStream: WriteStreamFactory;

  constructor(opts: UploadFileStoreOptions) {
    super({ directory: opts.directory, expirationPeriodInMilliseconds: opts.expiryMs });
    this.now = opts.now;
    this.writeStream = opts.writeStream ?? fileWriteStream;
  }

  override async create(upload: Upload): Promise<Upload> {
    upload.creation_date = new Date(this.now()).toISOString();
    return super.create(upload);
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    let received = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const file = await open(path.join(this.directory, id), 'r+');
      await pipeline(readable, count, this.writeStream(file, offset));
    } catch (err) {
      const full = isOutOfSpace(err);
      log(full ? 'error' : 'warn', 'upload chunk not stored', err, { upload: id, offset, received });
      throw full ? OUT_OF_SPACE_ANSWER : ERRORS.FILE_WRITE_ERROR;
    }
    return offset + received;
  }
}
