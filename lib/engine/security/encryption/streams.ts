import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../errors';
import { Opener, Sealer, type EncryptOptions } from './segments';

const asBuffer = (chunk: unknown): Buffer => {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new AppError('INVALID_INPUT', 'encryption streams take bytes (Buffer / Uint8Array)');
};

/** Plaintext in, format v1 out; the key is derived in `_construct`, before any input is taken. */
class EncryptStream extends Transform {
  private readonly output = (bytes: Buffer) => void this.push(bytes);

  /** The Sealer is built (and its options validated) before the stream exists: `_construct` runs on the next tick. */
  constructor(private readonly sealer: Sealer) {
    super();
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.sealer.deriveKey().then(() => callback(), callback);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.sealer.write(asBuffer(chunk), this.output);
    } catch (err) {
      return callback(err as Error);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.sealer.end(this.output);
    } catch (err) {
      return callback(err as Error);
    }
    callback();
  }
}

/** Format v1 in, verified plaintext out. */
class DecryptStream extends Transform {
  private readonly output = (bytes: Buffer) => void this.push(bytes);

  constructor(private readonly opener: Opener) {
    super();
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    let started: Promise<void> | undefined;
    try {
      started = this.opener.write(asBuffer(chunk), this.output);
    } catch (err) {
      return callback(err as Error);
    }
    if (started) started.then(() => callback(), callback);
    else callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.opener.end(this.output);
    } catch (err) {
      return callback(err as Error);
    }
    callback();
  }
}

/**
 * A Transform: plaintext in, encrypted package (format v1, see format.ts) out. Holds at most one
 * segment. Throws INVALID_INPUT synchronously on an empty password or out-of-bounds options.
 */
export function createEncryptStream(password: string, opts?: EncryptOptions): Transform {
  return new EncryptStream(new Sealer(password, opts));
}

/**
 * A Transform: encrypted package in, plaintext out; never emits unauthenticated plaintext. Errors
 * with DECRYPT_FAILED (wrong password; modified, truncated, reordered or appended data) or
 * ENCRYPTED_FORMAT_INVALID (not this format, unsupported version, out-of-bounds parameters).
 */
export function createDecryptStream(password: string): Transform {
  return new DecryptStream(new Opener(password));
}
