/**
 * Byte planes of a chunk: plane j holds the bytes at positions ≡ j (mod 4). In float32 weights
 * one plane (sign and exponent) carries ~2.7 bits per byte and the other three are noise; in
 * bfloat16 two planes do. Entropy-coding the low-entropy planes alone gives a better ratio than
 * a whole-chunk compressor and costs a fraction of its time, both ways (the Blosc / HDF5
 * "shuffle" filter). The planes cover the first 16 × ⌊len / 16⌋ bytes; the rest is a raw tail.
 */
export const PLANES = 4;

/** Bytes in each plane of a `len`-byte chunk. */
export const planeBytes = (len: number) => (len >>> 4) * 4;

/** Words of 4 bytes over `data` (copied when it is not 4-byte aligned). */
function words(data: Uint8Array, count: number): Uint32Array {
  const aligned = data.byteOffset % 4 === 0 ? data : Uint8Array.from(data.subarray(0, count * 4));
  return new Uint32Array(aligned.buffer, aligned.byteOffset, count);
}

/** The four planes (little-endian word arithmetic: 4 bytes in, 4 bytes out per step). */
export function splitPlanes(data: Uint8Array): Buffer[] {
  const groups = data.length >>> 4;
  const w = words(data, groups * 4);
  const [a, b, c, d] = Array.from({ length: PLANES }, () => new Uint32Array(groups));
  for (let i = 0, k = 0; i < groups; i++, k += 4) {
    const w0 = w[k];
    const w1 = w[k + 1];
    const w2 = w[k + 2];
    const w3 = w[k + 3];
    a[i] = (w0 & 0xff) | ((w1 & 0xff) << 8) | ((w2 & 0xff) << 16) | (w3 << 24);
    b[i] = ((w0 >>> 8) & 0xff) | (w1 & 0xff00) | ((w2 & 0xff00) << 8) | ((w3 >>> 8) << 24);
    c[i] = ((w0 >>> 16) & 0xff) | ((w1 >>> 8) & 0xff00) | (w2 & 0xff0000) | ((w3 >>> 16) << 24);
    d[i] = (w0 >>> 24) | ((w1 >>> 16) & 0xff00) | ((w2 >>> 8) & 0xff0000) | (w3 & 0xff000000);
  }
  return [a, b, c, d].map((p) => Buffer.from(p.buffer, 0, p.byteLength));
}

/** The inverse of splitPlanes for the planes' part: 16 × (plane length / 4) bytes. */
export function joinPlanes(planes: Uint8Array[]): Buffer {
  const groups = planes[0].length >>> 2;
  const out = new Uint32Array(groups * 4);
  const [a, b, c, d] = planes.map((p) => words(p, groups));
  for (let i = 0, k = 0; i < groups; i++, k += 4) {
    const x = a[i];
    const y = b[i];
    const z = c[i];
    const t = d[i];
    out[k] = (x & 0xff) | ((y & 0xff) << 8) | ((z & 0xff) << 16) | (t << 24);
    out[k + 1] = ((x >>> 8) & 0xff) | (y & 0xff00) | ((z & 0xff00) << 8) | ((t >>> 8) << 24);
    out[k + 2] = ((x >>> 16) & 0xff) | ((y >>> 8) & 0xff00) | (z & 0xff0000) | ((t >>> 16) << 24);
    out[k + 3] = (x >>> 24) | ((y >>> 16) & 0xff00) | ((z >>> 8) & 0xff0000) | (t & 0xff000000);
  }
  return Buffer.from(out.buffer, 0, out.byteLength);
}

/** Order-0 entropy (bits per byte) of each plane over `sample`. */
export function planeEntropies(sample: Uint8Array): number[] {
  const hist = new Uint32Array(PLANES * 256);
  for (let k = 0; k < sample.length; k++) hist[((k & 3) << 8) | sample[k]]++;
  const bits: number[] = [];
  for (let j = 0; j < PLANES; j++) {
    let n = 0;
    for (let v = 0; v < 256; v++) n += hist[(j << 8) | v];
    let e = 0;
    for (let v = 0; v < 256; v++) {
      const c = hist[(j << 8) | v];
      if (c > 0) e -= (c / n) * Math.log2(c / n);
    }
    bits.push(n === 0 ? 8 : e);
  }
  return bits;
}
