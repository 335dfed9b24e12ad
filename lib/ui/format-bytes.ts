const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Human-readable size in binary units: "512 B", "1.5 MiB", "42 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
