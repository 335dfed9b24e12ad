const UNITS: Record<string, number> = { '': 1, B: 1, K: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/** "10GB", "512MiB", "1.5G", "1048576" → bytes; throws a message naming the flag otherwise. */
export function parseSize(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2].toUpperCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`${flag} must be a size like 10GB, 512MiB or 1048576 (bytes), not "${text}"`);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new Error(`${flag} must be more than 0 bytes, not "${text}"`);
  return bytes;
}
