/** A form field's text, trimmed; empty when absent. */
export const formText = (f: FormData, key: string) => String(f.get(key) ?? '').trim();
