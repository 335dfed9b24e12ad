import { randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../errors';
import { HEADER_LENGTH, LIMITS, TAG_LENGTH, isEncryptedPackage, parseHeader, type EncryptedHeaderInfo } from './format';
import { checkPassword, deriveKey } from './kdf';
import { Sealer, decryptFailed, notEncrypted, segmentCipher, segmentDecipher, updateInSlices, type EncryptOptions } from './segments';

/**
 * File → file encryption and decryption. Unlike the Transform streams these know the input's
 * size up front, so they know which segment is the final one before reading it: each segment is
 * streamed through its cipher in IO_CHUNK pieces (positioned reads into two alternating buffers,
 * one writev of the outputs per piece, the next read and the previous write overlapping the cipher
 * work) — no segment is ever held, memory is a few MiB whatever the file size, and no buffer is
 * allocated per read (garbage the GC would only reclaim in bursts).
 *
 * Output goes to `<output>.partial-<random>` in the same directory (created with 'wx' and mode
 * 0600, so no existing path is followed or reused), is fsynced, and is renamed to `output` only
 * after the last segment's tag has verified. On any error the partial file is deleted: decryptFile
 * streams plaintext into that private file before a segment's tag is checked, but unauthenticated
 * plaintext never appears under `output` and never outlives the call.
 */

const IO_CHUNK = 256 * 1024;

/** Writes all of `buffers` at the current position (one writev; continues after a short write). */
async function writeFully(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    const rest: Buffer[] = [];
    for (const b of pending) {
      if (bytesWritten >= b.length) bytesWritten -= b.length;
      else {
        rest.push(bytesWritten > 0 ? b.subarray(bytesWritten) : b);
        bytesWritten = 0;
      }
    }
    pending = rest;
  }
}

/** Reads up to `length` bytes at `position` into the start of `buffer`; fewer only at end of file. */
async function readAt(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

async function writeAtomically(output: string, produce: (sink: FileHandle) => Promise<void>): Promise<void> {
  const partial = `${output}.partial-${randomBytes(8).toString('hex')}`;
  let sink: FileHandle | null = null;
  let created = false;
  try {
    sink = await open(partial, 'wx', 0o600);
    created = true;
    await produce(sink);
    await sink.sync();
    await sink.close();
    sink = null;
    await rename(partial, output);
  } catch (err) {
    await sink?.close().catch(() => undefined);
    if (created) await rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** A range of one segment's bytes to read (never crossing a segment boundary). */
type Piece = {
  position: number;
  length: number;
  segment: number;
  /** The segment is the final one of the file. */
  final: boolean;
  /** First / last piece of its segment. */
  first: boolean;
  last: boolean;
  /** End of the segment's payload (plaintext when encrypting, ciphertext when decrypting). */
  segmentEnd: number;
};

/** The pieces of `count` segments whose payload i spans [start(i), start(i) + length(i)). */
function* piecesOf(count: number, start: (i: number) => number, length: (i: number) => number): Generator<Piece> {
  for (let segment = 0; segment < count; segment++) {
    const final = segment === count - 1;
    const from = start(segment);
    const segmentEnd = from + length(segment);
    let position = from;
    do {
      const pieceLength = Math.min(IO_CHUNK, segmentEnd - position);
      yield { position, length: pieceLength, segment, final, first: position === from, last: position + pieceLength === segmentEnd, segmentEnd };
      position += pieceLength;
    } while (position < segmentEnd);
  }
}

/**
 * Reads `pieces` in order from `source`, hands each to `handle` (which appends the buffers to write
 * to `out`) and writes them to `sink`. Reading the next piece and writing the previous output
 * overlap with the cipher work on the current one; two read buffers alternate, so memory stays at
 * two pieces in and two out whatever the file size.
 */
async function pump(
  source: FileHandle,
  sink: FileHandle,
  pieces: Iterator<Piece>,
  handle: (data: Buffer, piece: Piece, out: Buffer[]) => Promise<void> | void,
  short: () => Error,
  first: Buffer[] = [],
  onProgress?: (bytesRead: number) => void,
): Promise<void> {
  const buffers = [Buffer.allocUnsafe(IO_CHUNK), Buffer.allocUnsafe(IO_CHUNK)];
  let which = 0;
  const read = async (piece: Piece, buffer: Buffer) => {
    if ((await readAt(source, buffer, piece.length, piece.position)) !== piece.length) throw short();
    return buffer.subarray(0, piece.length);
  };
  // Rejections surface where these are awaited; the no-op handlers only keep Node from calling
  // them unhandled while the other one is being awaited.
  let writing = writeFully(sink, first);
  writing.catch(() => undefined);
  let step = pieces.next();
  let reading = step.done ? null : read(step.value, buffers[which]);
  reading?.catch(() => undefined);
  try {
    while (!step.done) {
      const piece = step.value;
      const data = await reading!;
      step = pieces.next();
      which ^= 1;
      reading = step.done ? null : read(step.value, buffers[which]);
      reading?.catch(() => undefined);
      const out: Buffer[] = [];
      await handle(data, piece, out);
      onProgress?.(piece.position + piece.length);
      await writing;
      writing = writeFully(sink, out);
      writing.catch(() => undefined);
    }
    await writing;
  } finally {
    // On error, let in-flight I/O settle before the caller closes the handles.
    await Promise.allSettled([writing, reading]);
  }
}

/** Reports how far into the input file the work has got (bytes). */
export type FileProgress = { onProgress?: (bytesRead: number) => void };

/** Encrypts the file `input` to `output` (format: format.ts), written atomically. */
export async function encryptFile(input: string, output: string, password: string, opts?: EncryptOptions & FileProgress): Promise<void> {
  const sealer = new Sealer(password, opts); // validates password and options
  const source = await open(input, 'r');
  try {
    const size = (await source.stat()).size;
    const { header, noncePrefix, segmentSize } = sealer;
    const count = Math.max(1, Math.ceil(size / segmentSize)); // an empty input is one empty final segment
    if (count > LIMITS.maxSegments) {
      throw new AppError('INVALID_INPUT', `input too large for segment size ${segmentSize} (at most 2^32 segments)`);
    }
    await sealer.deriveKey();
    const key = sealer.key!;
    const pieces = piecesOf(count, (i) => i * segmentSize, (i) => (i === count - 1 ? size - i * segmentSize : segmentSize));
    const shrank = () => new AppError('INVALID_INPUT', `${input} shrank while being encrypted`);
    await writeAtomically(output, async (sink) => {
      let cipher: CipherGCM | null = null;
      const seal = (data: Buffer, piece: Piece, out: Buffer[]) => {
        if (piece.first) cipher = segmentCipher(key, header, noncePrefix, piece.segment, piece.final);
        updateInSlices(cipher!, data, out);
        if (piece.last) {
          cipher!.final(); // GCM: no further output
          out.push(cipher!.getAuthTag());
        }
      };
      await pump(source, sink, pieces, seal, shrank, [header], opts?.onProgress);
      // The size was taken up front: refuse to drop bytes appended since, silently.
      if ((await source.read(Buffer.alloc(1), 0, 1, size)).bytesRead !== 0) {
        throw new AppError('INVALID_INPUT', `${input} grew while being encrypted`);
      }
    });
  } finally {
    await source.close();
  }
}

/**
 * Decrypts the file `input` to `output`, written atomically: on DECRYPT_FAILED or
 * ENCRYPTED_FORMAT_INVALID (or any other error) neither `output` nor a partial file is left.
 */
export async function decryptFile(input: string, output: string, password: string, opts?: FileProgress): Promise<void> {
  checkPassword(password);
  const source = await open(input, 'r');
  try {
    const size = (await source.stat()).size;
    const header = Buffer.alloc(HEADER_LENGTH);
    const headerLength = await readAt(source, header, HEADER_LENGTH, 0);
    if (!isEncryptedPackage(header.subarray(0, headerLength))) throw notEncrypted();
    const fields = parseHeader(header.subarray(0, headerLength)); // bounds-checked before any KDF work
    const full = fields.segmentSize + TAG_LENGTH;
    const body = size - HEADER_LENGTH;
    // Non-final segments are exactly `full` bytes; the final one 16 … `full` bytes.
    const count = Math.max(1, Math.ceil(body / full));
    const lastLength = body - full * (count - 1);
    if (lastLength < TAG_LENGTH) throw decryptFailed({ segment: count - 1, reason: 'final segment missing or truncated' });
    if (count > LIMITS.maxSegments) throw decryptFailed({ reason: 'too many segments' });
    const key = await deriveKey(password, fields.salt, fields);
    const pieces = piecesOf(count, (i) => HEADER_LENGTH + i * full, (i) => (i === count - 1 ? lastLength : full) - TAG_LENGTH);
    const truncated = () => decryptFailed({ reason: 'truncated' });
    await writeAtomically(output, async (sink) => {
      const tag = Buffer.alloc(TAG_LENGTH);
      let decipher: DecipherGCM | null = null;
      const open = async (data: Buffer, piece: Piece, out: Buffer[]) => {
        if (piece.first) {
          if ((await readAt(source, tag, TAG_LENGTH, piece.segmentEnd)) !== TAG_LENGTH) throw truncated();
          decipher = segmentDecipher(key, header, fields.noncePrefix, piece.segment, piece.final, tag);
        }
        updateInSlices(decipher!, data, out);
        if (piece.last) {
          try {
            decipher!.final(); // GCM: no further output; throws when the tag does not match
          } catch {
            throw decryptFailed({ segment: piece.segment, final: piece.final });
          }
        }
      };
      await pump(source, sink, pieces, open, truncated, [], opts?.onProgress);
      // The size was taken up front: bytes appended since are trailing data.
      if ((await source.read(Buffer.alloc(1), 0, 1, size)).bytesRead !== 0) throw decryptFailed({ reason: 'data after the final segment' });
    });
  } finally {
    await source.close();
  }
}

/**
 * The parameters of an encrypted package (from a path or its first bytes), or null when it does not
 * start with the magic (not encrypted). Throws ENCRYPTED_FORMAT_INVALID when the magic is present
 * but the header is truncated, of an unsupported version or out of bounds. Says nothing about the
 * authenticity of the file: only decryption with the password does.
 */
export async function readEncryptedHeader(filePathOrBuffer: string | Buffer): Promise<EncryptedHeaderInfo | null> {
  let head: Buffer;
  if (typeof filePathOrBuffer === 'string') {
    const handle = await open(filePathOrBuffer, 'r');
    try {
      const buffer = Buffer.alloc(HEADER_LENGTH);
      head = buffer.subarray(0, await readAt(handle, buffer, HEADER_LENGTH, 0));
    } finally {
      await handle.close();
    }
  } else {
    head = filePathOrBuffer.subarray(0, HEADER_LENGTH);
  }
  if (!isEncryptedPackage(head)) return null;
  const { version, log2N, r, p, segmentSize } = parseHeader(head);
  return { version, log2N, r, p, segmentSize };
}
