import { cleanLine, cleanText, escapeJsonControls } from './sanitize';

/** A result on stdout; control characters and escape sequences never reach the terminal. */
export function say(text: string): void {
  process.stdout.write(cleanText(text));
}

/** A notice, warning or error on stderr, cleaned the same way. */
export function note(text: string): void {
  process.stderr.write(cleanText(text));
}

/** JSON on stdout, with every control and bidi character escaped. */
export function printJson(value: unknown): void {
  process.stdout.write(`${escapeJsonControls(JSON.stringify(value, null, 2))}\n`);
}

/** Aligned columns; each cell is reduced to one clean line first. */
export function table(rows: string[][]): string {
  const clean = rows.map((r) => r.map(cleanLine));
  const widths = clean[0].map((_, i) => Math.max(...clean.map((r) => (r[i] ?? '').length)));
  return clean.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
