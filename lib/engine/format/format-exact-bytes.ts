const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** "5242880 bytes (5.0 MiB)" — exact for people comparing against a configured limit. */
export function formatExactBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${bytes} bytes (${value.toFixed(1)} ${UNITS[unit]})`;
}
