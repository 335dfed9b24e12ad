/**
 * The gear-hash scan loop of the chunker as a WebAssembly function, emitted here byte by byte
 * (no toolchain, no binary in the repository). It runs the same arithmetic as the JavaScript loop
 * in fastcdc.ts — the tests check both cut at the same places — at about twice its speed
 * (bench/RESULTS.md, "Backups" notes).
 *
 * Memory: the 256-entry gear table (i32, little-endian) at address 0, the data window from GEAR_BYTES.
 * scan(i, normal, limit, maskS, maskL) → the address just past the cut point: the first i in
 * [i, normal) where h & maskS is 0, else the first in [normal, limit) where h & maskL is 0, else limit.
 */
export const GEAR_BYTES = 1024;

const I32 = 0x7f;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, load: 0x28, load8u: 0x2d, const: 0x41,
  eqz: 0x45, geU: 0x4f, add: 0x6a, and: 0x71, shl: 0x74,
} as const;

// Locals: the five parameters, then h.
const [I, NORMAL, LIMIT, MASK_S, MASK_L, H] = [0, 1, 2, 3, 4, 5];

/** One phase: while i < bound, roll h over the byte at i and return i + 1 when h & mask is 0. */
function phase(bound: number, mask: number): number[] {
  return [
    op.block, op.void,
    op.loop, op.void,
    op.get, I, op.get, bound, op.geU, op.brIf, 1,
    op.get, H, op.const, 1, op.shl,
    op.get, I, op.load8u, 0, 0, op.const, 2, op.shl, op.load, 2, 0,
    op.add, op.tee, H, op.get, mask, op.and, op.eqz,
    op.if, op.void, op.get, I, op.const, 1, op.add, op.return, op.end,
    op.get, I, op.const, 1, op.add, op.set, I,
    op.br, 0,
    op.end,
    op.end,
  ];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = [1, 1, I32, ...phase(NORMAL, MASK_S), ...phase(LIMIT, MASK_L), op.get, LIMIT, op.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('scan'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | null = null;

export type GearScanner = {
  /** The whole memory: gear table then the window (valid until the next call to ensure). */
  bytes: Uint8Array;
  scan(i: number, normal: number, limit: number, maskS: number, maskL: number): number;
};

/** An instance with its own memory holding `gear` and room for a window of `windowBytes`. */
export function createGearScanner(gear: Int32Array, windowBytes: number): GearScanner {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const instance = new WebAssembly.Instance(compiled, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const need = GEAR_BYTES + windowBytes;
  const pages = Math.ceil(need / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  new Int32Array(memory.buffer, 0, 256).set(gear);
  return { bytes: new Uint8Array(memory.buffer), scan: instance.exports.scan as GearScanner['scan'] };
}
