import { AppError } from '../../errors';

/**
 * Encrypted package format, version 1 (`.torshpkg` wrapped in password-based encryption).
 *
 * Layout (all integers big-endian):
 *
 *   offset  size  field
 *   0       8     magic "TORSHENC"
 *   8       1     format version (u8) = 1
 *   9       1     KDF id (u8): 1 = scrypt
 *   10      1     scrypt log2 N (u8), default 17
 *   11      4     scrypt r (u32), 8
 *   15      4     scrypt p (u32), 1
 *   19      16    salt (random)
 *   35      4     segment size (u32): plaintext bytes per segment, default 4 MiB
 *   39      7     nonce prefix (random)
 *   46            segments…
 *
 * Key: scrypt(password (UTF-8, NFC-normalised), salt, N = 2^log2N, r, p) → 32 bytes, the
 * AES-256-GCM key (node:crypto; no hand-rolled crypto).
 *
 * Segments: the plaintext is cut into segments of exactly `segment size` bytes, except the final
 * one, which holds the remaining 0 … `segment size` bytes (an empty input still has one, empty,
 * final segment; an input that is an exact multiple of the segment size ends with a full final
 * segment). Each segment is stored as its ciphertext (same length as its plaintext) followed by the
 * 16-byte GCM tag. Nonce (12 bytes) = nonce prefix (7) ‖ segment counter (u32, from 0) ‖ last flag
 * (u8: 0x01 on the final segment, 0x00 otherwise). The whole 46-byte header is the additional
 * authenticated data of every segment, so changing any header byte fails authentication.
 *
 * What this detects (createDecryptStream releases a segment's plaintext only after its tag has
 * verified; decryptFile renames its output into place only after every tag has):
 * - wrong password or any modified byte (header, ciphertext or tag): tag mismatch;
 * - reordered, duplicated or dropped segments: the counter is in the nonce;
 * - truncation, even at a segment boundary: the last segment read must carry the last flag;
 * - appended data: a segment followed by more bytes is opened as non-final, so a real final
 *   segment followed by anything fails.
 * A wrong password cannot be told apart from tampering (AEAD): both are DECRYPT_FAILED.
 *
 * Limits a reader enforces before deriving a key, so a hostile header cannot exhaust memory or
 * CPU: segment size 1 KiB … 64 MiB; log2N 10 … 22; r 1 … 16; p 1 … 4; scrypt memory
 * (128·N·r bytes) ≤ 1 GiB (so with r = 8, log2N ≤ 20). Writers enforce the same limits.
 */

export const MAGIC = Buffer.from('TORSHENC', 'ascii');
export const FORMAT_VERSION = 1;
export const KDF_SCRYPT = 1;
export const HEADER_LENGTH = 46;
export const SALT_LENGTH = 16;
export const NONCE_PREFIX_LENGTH = 7;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const KEY_LENGTH = 32;

export const DEFAULT_LOG2N = 17;
export const DEFAULT_R = 8;
export const DEFAULT_P = 1;
export const DEFAULT_SEGMENT_SIZE = 4 * 1024 * 1024;

export const LIMITS = {
  minSegmentSize: 1024,
  maxSegmentSize: 64 * 1024 * 1024,
  minLog2N: 10,
  maxLog2N: 22,
  maxR: 16,
  maxP: 4,
  /** 128·N·r bytes: the memory scrypt needs. */
  maxScryptMemory: 1024 * 1024 * 1024,
  /** The segment counter is a u32. */
  maxSegments: 2 ** 32,
} as const;

export type KdfParams = { log2N: number; r: number; p: number };

export type HeaderFields = KdfParams & {
  version: number;
  kdf: number;
  salt: Buffer;
  segmentSize: number;
  noncePrefix: Buffer;
};

/** What `readEncryptedHeader` reports: enough to accept an encrypted package opaquely. */
export type EncryptedHeaderInfo = { version: number; log2N: number; r: number; p: number; segmentSize: number };

const isInt = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** Why these parameters are out of bounds, or null when they are acceptable. */
export function paramsProblem(params: KdfParams & { segmentSize: number }): string | null {
  const { log2N, r, p, segmentSize } = params;
  if (!isInt(segmentSize, LIMITS.minSegmentSize, LIMITS.maxSegmentSize)) {
    return `segment size ${segmentSize} is outside ${LIMITS.minSegmentSize} … ${LIMITS.maxSegmentSize} bytes`;
  }
  if (!isInt(log2N, LIMITS.minLog2N, LIMITS.maxLog2N)) return `scrypt log2N ${log2N} is outside ${LIMITS.minLog2N} … ${LIMITS.maxLog2N}`;
  if (!isInt(r, 1, LIMITS.maxR)) return `scrypt r ${r} is outside 1 … ${LIMITS.maxR}`;
  if (!isInt(p, 1, LIMITS.maxP)) return `scrypt p ${p} is outside 1 … ${LIMITS.maxP}`;
  if (scryptMemory(params) > LIMITS.maxScryptMemory) {
    return `scrypt parameters need ${scryptMemory(params)} bytes of memory (limit ${LIMITS.maxScryptMemory})`;
  }
  return null;
}

export function scryptMemory({ log2N, r }: KdfParams): number {
  return 128 * 2 ** log2N * r;
}

export function encodeHeader(fields: Omit<HeaderFields, 'version' | 'kdf'>): Buffer {
  if (fields.salt.length !== SALT_LENGTH || fields.noncePrefix.length !== NONCE_PREFIX_LENGTH) {
    throw new AppError('INTERNAL', 'encryption header: wrong salt or nonce prefix length');
  }
  const h = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(h, 0);
  h.writeUInt8(FORMAT_VERSION, 8);
  h.writeUInt8(KDF_SCRYPT, 9);
  h.writeUInt8(fields.log2N, 10);
  h.writeUInt32BE(fields.r, 11);
  h.writeUInt32BE(fields.p, 15);
  fields.salt.copy(h, 19);
  h.writeUInt32BE(fields.segmentSize, 35);
  fields.noncePrefix.copy(h, 39);
  return h;
}

/** True when `firstBytes` starts with the magic of an encrypted package. */
export function isEncryptedPackage(firstBytes: Buffer): boolean {
  return firstBytes.length >= MAGIC.length && firstBytes.subarray(0, MAGIC.length).equals(MAGIC);
}

/** True while `bytes` (fewer than the magic's length) could still be the start of the magic. */
export function couldBeMagicPrefix(bytes: Buffer): boolean {
  const n = Math.min(bytes.length, MAGIC.length);
  return bytes.subarray(0, n).equals(MAGIC.subarray(0, n));
}

function formatInvalid(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('ENCRYPTED_FORMAT_INVALID', message, details);
}

/**
 * Parses and bounds-checks a header (`bytes` may be longer; only the first HEADER_LENGTH bytes are
 * read). Throws ENCRYPTED_FORMAT_INVALID on a missing magic, an unsupported version or KDF, a short
 * header or out-of-bounds parameters. Authenticity is only established by opening a segment.
 */
export function parseHeader(bytes: Buffer): HeaderFields {
  if (!isEncryptedPackage(bytes)) throw formatInvalid('not an encrypted package (magic "TORSHENC" missing)');
  if (bytes.length < HEADER_LENGTH) {
    throw formatInvalid(`encrypted package header truncated: ${bytes.length} of ${HEADER_LENGTH} bytes`);
  }
  const version = bytes.readUInt8(8);
  if (version !== FORMAT_VERSION) {
    throw formatInvalid(`unsupported encrypted package format version ${version} (this server reads version ${FORMAT_VERSION})`, { version });
  }
  const kdf = bytes.readUInt8(9);
  if (kdf !== KDF_SCRYPT) throw formatInvalid(`unsupported key derivation function id ${kdf} (1 = scrypt)`, { kdf });
  const fields: HeaderFields = {
    version,
    kdf,
    log2N: bytes.readUInt8(10),
    r: bytes.readUInt32BE(11),
    p: bytes.readUInt32BE(15),
    salt: Buffer.from(bytes.subarray(19, 35)),
    segmentSize: bytes.readUInt32BE(35),
    noncePrefix: Buffer.from(bytes.subarray(39, 46)),
  };
  const problem = paramsProblem(fields);
  if (problem) throw formatInvalid(`encrypted package header rejected: ${problem}`, { log2N: fields.log2N, r: fields.r, p: fields.p, segmentSize: fields.segmentSize });
  return fields;
}

/** 12-byte GCM nonce of segment `counter`. */
export function segmentNonce(prefix: Buffer, counter: number, final: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_LENGTH);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, NONCE_PREFIX_LENGTH);
  nonce[NONCE_LENGTH - 1] = final ? 1 : 0;
  return nonce;
}
