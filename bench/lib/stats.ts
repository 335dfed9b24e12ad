export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const v = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
