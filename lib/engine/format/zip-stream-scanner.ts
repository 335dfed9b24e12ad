import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** sha256 and CRC-32 of one stored entry's bytes, computed while the archive streamed past. */
export type ScannedEntry = {
  /** Offset of the entry's local file header in the archive. */
  headerOffset: number;
  /** Bytes of entry data (stored entries: compressed size = uncompressed size). */
  size: number;
  crc32: number;
  sha256: string;
};

export type ZipStreamScanner = {
  /** Feed the archive's bytes in order, as they arrive. Never throws. */
  push(chunk: Buffer): void;
  /** Stored entries digested so far, keyed by local header offset. */
  results(): Map<number, ScannedEntry>;
};

const LOCAL_SIG = 0x04034b50;
const DESCRIPTOR_SIG = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
const FLAG_DESCRIPTOR = 0x08;
const STORED = 0;
/** A data descriptor is at most signature + crc + two 8-byte sizes. */
const DESCRIPTOR_MAX = 24;

type Entry = {
  headerOffset: number;
  dataStart: number;
  stored: boolean;
  /** Known from the local header, or null when a data descriptor follows the data. */
  size: number | null;
  zip64: boolean;
  hash: Hash | null;
  crc: number;
};

function zip64Sizes(extra: Buffer, compressed: number, uncompressed: number): { compressed: number; uncompressed: number } | null {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      const read = () => {
        if (p + 8 > i + 4 + len) return null;
        const v = Number(extra.readBigUInt64LE(p));
        p += 8;
        return v;
      };
      const u = uncompressed === 0xffffffff ? read() : uncompressed;
      const c = compressed === 0xffffffff ? read() : compressed;
      return u === null || c === null ? null : { compressed: c, uncompressed: u };
    }
    i += 4 + len;
  }
  return null;
}

/**
 * Follows a ZIP archive's local file headers while it is being uploaded and digests every stored
 * entry on the fly, so validation afterwards does not read those bytes again. Entries whose end
 * cannot be found (a descriptor without signature, say) or anything unexpected simply stop the
 * scan: validation then reads the remaining entries from disk. A result is only trusted when the
 * central directory names the same header offset, size and CRC (see read-package.ts), so a
 * hostile archive can at worst make publishing slower, never make a wrong digest count.
 */
export function createZipStreamScanner(): ZipStreamScanner {
  const results = new Map<number, ScannedEntry>();
  let offset = 0; // absolute offset of pending[0]
  let pending: Buffer = Buffer.alloc(0); // bytes not yet consumed by the state machine
  let entry: Entry | null = null;
  let done = false;
  // Reused to join a small leftover with the next chunk without a fresh allocation per chunk
  // (everything in push() is synchronous, and the leftover is copied out before it returns).
  let scratch = Buffer.alloc(0);

  function join(head: Buffer, chunk: Buffer): Buffer {
    const total = head.length + chunk.length;
    if (scratch.length < total) scratch = Buffer.allocUnsafe(Math.max(total, scratch.length * 2));
    head.copy(scratch, 0);
    chunk.copy(scratch, head.length);
    return scratch.subarray(0, total);
  }

  function finish(e: Entry, size: number, hash: Hash | null, crc: number): void {
    if (e.stored && hash) results.set(e.headerOffset, { headerOffset: e.headerOffset, size, crc32: crc, sha256: hash.digest('hex') });
  }

  function feed(e: Entry, bytes: Buffer): void {
    if (!e.stored) return;
    e.hash!.update(bytes);
    e.crc = crc32(bytes, e.crc);
  }

  /** Parse a local header at pending[0]; false when more bytes are needed. */
  function readHeader(): boolean {
    if (pending.length < 30) return false;
    if (pending.readUInt32LE(0) !== LOCAL_SIG) {
      done = true; // central directory (or garbage): nothing more to digest
      return true;
    }
    const flags = pending.readUInt16LE(6);
    const method = pending.readUInt16LE(8);
    let compressed = pending.readUInt32LE(18);
    const uncompressed = pending.readUInt32LE(22);
    const nameLen = pending.readUInt16LE(26);
    const extraLen = pending.readUInt16LE(28);
    const headerLen = 30 + nameLen + extraLen;
    if (pending.length < headerLen) return false;
    let zip64 = false;
    if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
      const sizes = zip64Sizes(pending.subarray(30 + nameLen, headerLen), compressed, uncompressed);
      if (!sizes) {
        done = true;
        return true;
      }
      compressed = sizes.compressed;
      zip64 = true;
    }
    const stored = method === STORED;
    const hasDescriptor = (flags & FLAG_DESCRIPTOR) !== 0;
    entry = {
      headerOffset: offset,
      dataStart: offset + headerLen,
      stored,
      size: hasDescriptor ? null : compressed,
      zip64,
      hash: stored ? createHash('sha256') : null,
      crc: 0,
    };
    consume(headerLen);
    return true;
  }

  function consume(n: number): void {
    pending = pending.subarray(n);
    offset += n;
  }

  /** Entry with a known size: take its bytes, then skip nothing (no descriptor). */
  function readKnown(e: Entry & { size: number }): boolean {
    const remaining = e.dataStart + e.size - offset;
    const take = Math.min(remaining, pending.length);
    feed(e, pending.subarray(0, take));
    consume(take);
    if (take < remaining) return false;
    finish(e, e.size, e.hash, e.crc);
    entry = null;
    return true;
  }

  /**
   * Entry followed by a data descriptor: digest bytes up to each descriptor signature, and accept
   * the first one whose sizes (and, for stored data, CRC) describe exactly the bytes before it.
   */
  function readUntilDescriptor(e: Entry): boolean {
    for (;;) {
      const at = pending.indexOf(DESCRIPTOR_SIG);
      if (at === -1) {
        // Hold back 3 bytes: a signature may straddle two chunks.
        const n = Math.max(0, pending.length - (DESCRIPTOR_SIG.length - 1));
        feed(e, pending.subarray(0, n));
        consume(n);
        return false;
      }
      feed(e, pending.subarray(0, at));
      consume(at);
      if (pending.length < DESCRIPTOR_MAX) return false;
      const size = offset - e.dataStart;
      const crc = pending.readUInt32LE(4);
      const short = { c: pending.readUInt32LE(8), u: pending.readUInt32LE(12), len: 16 };
      const long = { c: Number(pending.readBigUInt64LE(8)), u: Number(pending.readBigUInt64LE(16)), len: 24 };
      const match = (e.zip64 ? [long, short] : [short, long]).find(
        (d) => d.c === size && (!e.stored || (d.u === size && crc === e.crc)),
      );
      if (match) {
        finish(e, size, e.hash, e.crc);
        entry = null;
        consume(match.len);
        return true;
      }
      // The signature bytes are part of the data.
      feed(e, pending.subarray(0, DESCRIPTOR_SIG.length));
      consume(DESCRIPTOR_SIG.length);
    }
  }

  return {
    push(chunk: Buffer) {
      if (done) return;
      pending = pending.length === 0 ? chunk : join(pending, chunk);
      try {
        for (;;) {
          if (done) return;
          if (entry === null) {
            if (!readHeader()) return;
            continue;
          }
          const progressed = entry.size !== null ? readKnown(entry as Entry & { size: number }) : readUntilDescriptor(entry);
          if (!progressed) return;
        }
      } catch {
        done = true; // malformed input: leave the rest to validation from disk
      } finally {
        // Copy the (small) leftover so the caller's chunk is not pinned.
        pending = done || pending.length === 0 ? Buffer.alloc(0) : Buffer.from(pending);
      }
    },
    results: () => results,
  };
}
