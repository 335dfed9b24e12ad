const COUNT = new Intl.NumberFormat('en-US');

/** "1,234" */
export function formatCount(value: number): string {
  return COUNT.format(value);
}
