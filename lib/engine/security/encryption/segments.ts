import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { AppError } from '../../errors';
import {
  DEFAULT_LOG2N,
  DEFAULT_P,
  DEFAULT_R,
  DEFAULT_SEGMENT_SIZE,
  HEADER_LENGTH,
  LIMITS,
  MAGIC,
  NONCE_PREFIX_LENGTH,
  SALT_LENGTH,
  TAG_LENGTH,
  couldBeMagicPrefix,
  encodeHeader,
  paramsProblem,
  parseHeader,
  segmentNonce,
  type HeaderFields,
} from './format';
import { checkPassword, deriveKey } from './kdf';

/**
 * Segment machinery. A Sealer turns plaintext into format v1 and an Opener turns format v1 back
 * into plaintext, for input arriving in chunks of any size and of unknown total length (the
 * Transform streams, streams.ts): they hold one segment, since only the arrival of a byte beyond
 * it tells whether a segment is the final one. Both hand output to an `emit` callback
 * synchronously and keep no reference to an input chunk after `write` returns (or after the
 * promise it returns settles). Memory per instance: one segment buffer (allocated on first use)
 * plus the segment being emitted. The file functions (files.ts), which know the length up front,
 * use the per-segment ciphers below directly and hold no segment.
 */

export type EncryptOptions = {
  /** Plaintext bytes per segment (default 4 MiB; 1 KiB … 64 MiB). */
  segmentSize?: number;
  /** scrypt cost: N = 2^log2N (default 17; 10 … 22, and 128·N·r ≤ 1 GiB). */
  log2N?: number;
};

export type Emit = (bytes: Buffer) => void;

const CIPHER = 'aes-256-gcm';

/**
 * Bytes per `update` call. Each call returns a freshly allocated buffer; at 64 KiB those come from
 * malloc's heap and are reused once collected, while MiB-sized ones are fresh mmap'd pages each
 * time: on Node 20 AES-256-GCM runs at ~3 GB/s in 64 KiB slices and ~1 GB/s in 1–4 MiB ones.
 */
export const UPDATE_SLICE = 64 * 1024;

/** Runs `data` through `cipher` in UPDATE_SLICE pieces, appending the outputs to `out`. */
export function updateInSlices(cipher: CipherGCM | DecipherGCM, data: Buffer, out: Buffer[]): void {
  for (let offset = 0; offset < data.length; offset += UPDATE_SLICE) {
    out.push(cipher.update(data.subarray(offset, Math.min(data.length, offset + UPDATE_SLICE))));
  }
}

/** The AES-256-GCM cipher of one segment (AAD = header). */
export function segmentCipher(key: Buffer, header: Buffer, noncePrefix: Buffer, counter: number, final: boolean): CipherGCM {
  const cipher = createCipheriv(CIPHER, key, segmentNonce(noncePrefix, counter, final), { authTagLength: TAG_LENGTH });
  cipher.setAAD(header);
  return cipher;
}

/** The AES-256-GCM decipher of one segment (AAD = header, tag = the segment's last 16 bytes). */
export function segmentDecipher(key: Buffer, header: Buffer, noncePrefix: Buffer, counter: number, final: boolean, tag: Buffer): DecipherGCM {
  const decipher = createDecipheriv(CIPHER, key, segmentNonce(noncePrefix, counter, final), { authTagLength: TAG_LENGTH });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  return decipher;
}

export const DECRYPT_FAILED_MESSAGE = 'decryption failed: wrong password, or the file was modified or truncated';

export function decryptFailed(details: Record<string, unknown>): AppError {
  return new AppError('DECRYPT_FAILED', DECRYPT_FAILED_MESSAGE, details);
}

export const notEncrypted = () => new AppError('ENCRYPTED_FORMAT_INVALID', 'not an encrypted package (magic "TORSHENC" missing)');

/**
 * Cuts a byte stream into records of `size` bytes without per-chunk allocations: bytes are copied
 * into one reusable buffer (so input chunks can be dropped or reused at once and memory stays
 * flat), or — when a chunk holds a whole record and more — passed on as a subarray. A record goes
 * to `onRecord` only once a byte beyond it has arrived; `finish()` returns what remains
 * (0 … size bytes), which is therefore the final record.
 */
class Segmenter {
  private buffer: Buffer | null = null;
  private fill = 0;

  constructor(
    private readonly size: number,
    private readonly onRecord: (record: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.fill === this.size) {
        this.onRecord(this.buffer!);
        this.fill = 0;
      }
      if (this.fill === 0 && chunk.length - offset > this.size) {
        this.onRecord(chunk.subarray(offset, offset + this.size));
        offset += this.size;
        continue;
      }
      // allocUnsafe (not pooled at this size): pages are only touched as they are filled.
      this.buffer ??= Buffer.allocUnsafe(this.size);
      const n = Math.min(this.size - this.fill, chunk.length - offset);
      chunk.copy(this.buffer, this.fill, offset, offset + n);
      this.fill += n;
      offset += n;
    }
  }

  /** The held bytes (the final record); valid until the next write. */
  finish(): Buffer {
    const rest = this.buffer ? this.buffer.subarray(0, this.fill) : Buffer.alloc(0);
    this.fill = 0;
    return rest;
  }
}

/**
 * Plaintext → format v1. Call `deriveKey()` (async scrypt) before the first `write`. One segment of
 * plaintext is held: it is sealed as non-final once a byte beyond it has arrived, and what remains
 * at `end` is sealed as the final segment. The header is emitted with the first segment.
 */
export class Sealer {
  readonly header: Buffer;
  readonly segmentSize: number;
  private readonly password: string;
  private readonly log2N: number;
  private readonly salt = randomBytes(SALT_LENGTH);
  readonly noncePrefix = randomBytes(NONCE_PREFIX_LENGTH);
  private readonly segments: Segmenter;
  /** Set by `deriveKey()`. */
  key: Buffer | null = null;
  private emit: Emit | null = null;
  private headerSent = false;
  private counter = 0;

  /** Throws INVALID_INPUT on an empty password or out-of-bounds options. */
  constructor(password: string, opts: EncryptOptions = {}) {
    this.password = checkPassword(password);
    this.segmentSize = opts.segmentSize ?? DEFAULT_SEGMENT_SIZE;
    this.log2N = opts.log2N ?? DEFAULT_LOG2N;
    const problem = paramsProblem({ segmentSize: this.segmentSize, log2N: this.log2N, r: DEFAULT_R, p: DEFAULT_P });
    if (problem) throw new AppError('INVALID_INPUT', `encryption options rejected: ${problem}`);
    this.header = encodeHeader({
      log2N: this.log2N,
      r: DEFAULT_R,
      p: DEFAULT_P,
      salt: this.salt,
      segmentSize: this.segmentSize,
      noncePrefix: this.noncePrefix,
    });
    this.segments = new Segmenter(this.segmentSize, (plaintext) => this.seal(plaintext, false));
  }

  async deriveKey(): Promise<void> {
    this.key ??= await deriveKey(this.password, this.salt, { log2N: this.log2N, r: DEFAULT_R, p: DEFAULT_P });
  }

  write(chunk: Buffer, emit: Emit): void {
    this.emit = emit;
    this.segments.write(chunk);
  }

  end(emit: Emit): void {
    this.emit = emit;
    this.seal(this.segments.finish(), true);
  }

  private seal(plaintext: Buffer, final: boolean): void {
    const emit = this.emit!;
    if (!this.key) throw new AppError('INTERNAL', 'encryption key not derived');
    if (this.counter >= LIMITS.maxSegments) {
      throw new AppError('INVALID_INPUT', `input too large for segment size ${this.segmentSize} (at most 2^32 segments)`);
    }
    if (!this.headerSent) {
      emit(this.header);
      this.headerSent = true;
    }
    const cipher = segmentCipher(this.key, this.header, this.noncePrefix, this.counter, final);
    const ciphertext: Buffer[] = []; // new buffers: `plaintext` may be reused
    updateInSlices(cipher, plaintext, ciphertext);
    cipher.final(); // GCM: no further output
    this.counter++;
    for (const piece of ciphertext) emit(piece);
    emit(cipher.getAuthTag());
  }
}

/**
 * Format v1 → plaintext. Parses the header from the first bytes (rejecting a bad magic, version or
 * out-of-bounds parameters before deriving any key), derives the key, then opens each segment and
 * emits its plaintext only after its tag has verified. A segment is opened as non-final once a byte
 * beyond it has arrived; what remains at `end` is opened as the final segment — so truncation
 * (even at a segment boundary), reordering, duplication and appended bytes all fail
 * authentication.
 */
export class Opener {
  private readonly password: string;
  /** Input received while the header was incomplete (fewer than HEADER_LENGTH bytes; copies). */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private header: Buffer | null = null;
  private fields: HeaderFields | null = null;
  private key: Buffer | null = null;
  private segments: Segmenter | null = null;
  private emit: Emit | null = null;
  private counter = 0;

  /** Throws INVALID_INPUT on an empty password. */
  constructor(password: string) {
    this.password = checkPassword(password);
  }

  /**
   * Returns a promise only for the write that completes the header (key derivation); the chunk
   * must stay untouched until it settles.
   */
  write(chunk: Buffer, emit: Emit): Promise<void> | undefined {
    this.emit = emit;
    if (this.segments) {
      this.segments.write(chunk);
      return undefined;
    }
    const all = this.pending.length === 0 ? chunk : Buffer.concat([...this.pending, chunk], this.pendingLength + chunk.length);
    if (!couldBeMagicPrefix(all.subarray(0, MAGIC.length))) throw notEncrypted();
    if (all.length < HEADER_LENGTH) {
      this.pending = [Buffer.from(all)];
      this.pendingLength = all.length;
      return undefined;
    }
    this.pending = [];
    this.pendingLength = 0;
    return this.start(all.subarray(0, HEADER_LENGTH)).then(() => {
      this.emit = emit;
      this.segments!.write(all.subarray(HEADER_LENGTH));
    });
  }

  end(emit: Emit): void {
    this.emit = emit;
    if (!this.segments) {
      // The header never completed (a complete one starts decryption in `write`).
      const head = this.pending[0] ?? Buffer.alloc(0);
      if (head.length < MAGIC.length) throw notEncrypted();
      parseHeader(head); // throws: header truncated
      throw new AppError('INTERNAL', 'decryption ended before key derivation');
    }
    const last = this.segments.finish();
    if (last.length < TAG_LENGTH) throw decryptFailed({ segment: this.counter, reason: 'final segment missing or truncated' });
    this.open(last, true);
  }

  private async start(head: Buffer): Promise<void> {
    const fields = parseHeader(head);
    this.header = Buffer.from(head); // own copy: the AAD of every segment
    this.fields = fields;
    this.key = await deriveKey(this.password, fields.salt, fields);
    this.segments = new Segmenter(fields.segmentSize + TAG_LENGTH, (segment) => this.open(segment, false));
  }

  private open(segment: Buffer, final: boolean): void {
    if (this.counter >= LIMITS.maxSegments) throw decryptFailed({ segment: this.counter, reason: 'too many segments' });
    const tagAt = segment.length - TAG_LENGTH;
    const decipher = segmentDecipher(this.key!, this.header!, this.fields!.noncePrefix, this.counter, final, segment.subarray(tagAt));
    const plaintext: Buffer[] = []; // new buffers: `segment` may be reused
    updateInSlices(decipher, segment.subarray(0, tagAt), plaintext);
    try {
      decipher.final(); // GCM: no further output; throws when the tag does not match
    } catch {
      throw decryptFailed({ segment: this.counter, final });
    }
    this.counter++;
    // Released only now that the segment's tag has verified.
    const emit = this.emit!;
    for (const piece of plaintext) emit(piece);
  }
}
