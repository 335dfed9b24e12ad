import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { WriteStreamFactory } from '../storage/local-blob-store';

/**
 * Write streams over the real file that fail as a full disk does: the first `room` bytes are
 * written, then the write fails with ENOSPC. For injecting into a store, instead of filling a disk.
 */
export function diskFullAfter(room: number): WriteStreamFactory {
  return (file: FileHandle, start: number) => {
    let written = 0;
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        const fits = chunk.subarray(0, Math.max(0, room - written));
        file.write(fits, 0, fits.length, start + written).then(() => {
          written += fits.length;
          if (fits.length === chunk.length) return done();
          done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' }));
        }, done);
      },
      destroy(err, done) {
        file.close().then(
          () => done(err),
          () => done(err),
        );
      },
    });
  };
}
